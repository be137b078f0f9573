/**
 * HTTP side of the sample: the transcription endpoint, upload validation and JSON errors.
 */
@NullMarked
package io.httppool.sample.web;

import org.jspecify.annotations.NullMarked;
