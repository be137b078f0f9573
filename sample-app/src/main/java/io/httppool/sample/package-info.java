/**
 * Sample transcription service built on http-pool: the application, its properties and
 * the one customizer it adds to the {@code transcription} client.
 */
@NullMarked
package io.httppool.sample;

import org.jspecify.annotations.NullMarked;
