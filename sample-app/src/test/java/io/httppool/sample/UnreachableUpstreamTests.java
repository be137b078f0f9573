package io.httppool.sample;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upstream nobody listens at (port 1 of the loopback): the caller learns which client
 * failed and why, never the address; the address is in the log for the operator.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "http.pool.clients.transcription.base-url=http://127.0.0.1:1",
				"http.pool.clients.transcription.retry.initial-backoff=10ms" })
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class UnreachableUpstreamTests {

	@LocalServerPort
	private int port;

	@Test
	void errorNamesTheUpstreamByClientNameAndKeepsTheAddressInTheLog(CapturedOutput output) {
		JsonNode error = expect503(Uploads.client(this.port)
			.post()
			.uri("/api/transcriptions")
			.bodyValue(Uploads.wav(TestAudio.bursts(2)))
			.exchange());
		assertThat(error.get("message").asString())
			.isEqualTo("upstream 'transcription' is unavailable: connection refused by the upstream");
		assertThat(output.getAll()).contains("127.0.0.1:1");
	}

	@Test
	void progressStreamAnswers503WhenNoChunkWasTranscribed() {
		JsonNode error = expect503(Uploads.client(this.port)
			.post()
			.uri("/api/transcriptions")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.bodyValue(Uploads.wav(TestAudio.bursts(2)))
			.exchange());
		assertThat(error.get("message").asString()).startsWith("upstream 'transcription' is unavailable");
	}

	private static JsonNode expect503(WebTestClient.ResponseSpec response) {
		JsonNode error = response.expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(error.get("upstream").asString()).isEqualTo("transcription");
		assertThat(error.toString()).doesNotContain("127.0.0.1");
		return error;
	}

}
