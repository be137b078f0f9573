package io.httppool.sample;

import java.util.Map;

import io.httppool.sample.simulator.SttSimulator;
import io.httppool.sample.transcription.Transcription;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Transient upstream faults are absorbed by the starter's retry: the simulator fails
 * every 4th request, alternately with 429 (Retry-After: 1) and 503, and the transcription
 * is still complete. Needs the resilience branch.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.upstream.real-time-factor=0.01", "sample.upstream.error-rate=0.125",
				"sample.upstream.throttle-rate=0.125",
				// 2 retries in 10 requests: keep the retry budget out of this test
				"http.pool.clients.transcription.retry.budget=0.5" })
@DirtiesContext
class UpstreamFaultTests {

	@LocalServerPort
	private int port;

	@Autowired
	private SttSimulator simulator;

	@Test
	void throttledAndFailedChunksAreRetriedAndTheTranscriptionIsComplete() {
		Transcription transcription = Uploads.transcribe(this.port, TestAudio.bursts(120));
		assertThat(transcription.chunks()).isEqualTo(8);
		TranscriptionApiTests.assertBurstsInOrder(transcription.segments(), 40);
		// 8 chunks need 10 requests when every 4th fails: the 4th (429) and the 8th (503)
		assertThat(this.simulator.stats().responsesByStatus()).isEqualTo(Map.of(200, 8, 429, 1, 503, 1));
		assertThat(transcription.upstream().attempts()).isEqualTo(10);
		// one key per chunk, repeated by its retry
		assertThat(this.simulator.stats().idempotencyKeys()).isEqualTo(8);
	}

}
