package io.httppool.sample.transcription;

import java.util.List;

/**
 * Answer of {@code POST /api/transcriptions}.
 *
 * @param text the whole text
 * @param segments all segments, in order, times relative to the upload
 * @param durationSeconds length of the upload
 * @param chunks number of chunks the upload was cut into
 * @param upstream how the chunks travelled
 * @author http-pool team
 */
public record Transcription(String text, List<Segment> segments, double durationSeconds, int chunks,
		Upstream upstream) {

	/**
	 * How the chunks of one upload travelled to the speech-to-text API.
	 *
	 * @param client the http-pool client used
	 * @param protocol protocol of the answers, such as {@code HTTP/2.0}
	 * @param attempts requests sent, retries included
	 * @param elapsedMs time from the first request to the last answer
	 * @param model model the upstream used (the simulator says {@code simulated})
	 */
	public record Upstream(String client, String protocol, int attempts, long elapsedMs, String model) {
	}

}
