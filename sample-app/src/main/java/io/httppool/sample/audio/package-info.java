/**
 * Splitting PCM WAV audio into chunks with {@code javax.sound.sampled}.
 */
@NullMarked
package io.httppool.sample.audio;

import org.jspecify.annotations.NullMarked;
