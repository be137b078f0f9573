package io.httppool.sample;

import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A failure after the event stream began: the status (200) is sent already, so the
 * failure is the stream's last event. Chunks go one at a time, without retries, to an
 * upstream that fails every second request: the first chunk succeeds, the second fails.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.upstream.real-time-factor=0", "sample.upstream.error-rate=0.5",
				"sample.max-parallel-chunks=1", "http.pool.clients.transcription.retry.enabled=false" })
@DirtiesContext
class ProgressStreamFailureTests {

	@LocalServerPort
	private int port;

	@Test
	void failureAfterTheFirstChunkIsTheLastEventAndNoResultFollows() {
		List<ServerSentEvent<JsonNode>> events = Uploads.client(this.port)
			.post()
			.uri("/api/transcriptions")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.bodyValue(Uploads.wav(TestAudio.bursts(30)))
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(new ParameterizedTypeReference<ServerSentEvent<JsonNode>>() {
			})
			.getResponseBody()
			.collectList()
			.block();
		assertThat(events).extracting(ServerSentEvent::event).containsExactly("chunk", "error");
		JsonNode error = events.get(1).data();
		assertThat(error.get("status").asInt()).isEqualTo(503);
		assertThat(error.get("upstream").asString()).isEqualTo("transcription");
		assertThat(error.get("message").asString()).startsWith("upstream 'transcription' answered 503");
	}

}
