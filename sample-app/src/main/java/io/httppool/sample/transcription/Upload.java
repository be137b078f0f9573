package io.httppool.sample.transcription;

import io.httppool.sample.audio.SplitAudio;
import org.jspecify.annotations.Nullable;

/**
 * A validated upload, cut into chunks.
 *
 * @param audio the chunks
 * @param language ISO-639-1 code of the spoken language, or {@code null} to let the
 * upstream detect it
 * @param model the model to ask for
 * @author http-pool team
 */
public record Upload(SplitAudio audio, @Nullable String language, String model) {

}
