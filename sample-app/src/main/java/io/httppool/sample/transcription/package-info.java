/**
 * Transcribing an upload: its chunks go concurrently through the pooled
 * {@code transcription} client to an OpenAI-compatible speech-to-text API, and the
 * results are merged in order.
 */
@NullMarked
package io.httppool.sample.transcription;

import org.jspecify.annotations.NullMarked;
