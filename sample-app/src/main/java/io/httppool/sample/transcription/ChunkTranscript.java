package io.httppool.sample.transcription;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Transcript of one chunk, its times already relative to the whole upload. Also the data
 * of each {@code chunk} event of the progress stream.
 *
 * @param index position of the chunk, from 0
 * @param start where the chunk starts in the upload, in seconds
 * @param end where the chunk ends, in seconds
 * @param text the chunk's text
 * @param segments the chunk's segments
 * @param attempts requests sent upstream for this chunk, retries included
 * @param protocol protocol of the last answer, such as {@code HTTP/2.0}
 * @param model model the upstream says it used, or {@code null}
 * @author http-pool team
 */
public record ChunkTranscript(int index, double start, double end, String text, List<Segment> segments, int attempts,
		@Nullable String protocol, @Nullable String model) {

}
