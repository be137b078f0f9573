package io.httppool.sample.audio;

import java.util.List;

/**
 * An upload cut into chunks.
 *
 * @param durationSeconds length of the whole audio
 * @param chunks the chunks, in order
 * @author http-pool team
 */
public record SplitAudio(double durationSeconds, List<AudioChunk> chunks) {

}
