package io.httppool.sample;

import java.time.Duration;

import io.httppool.sample.simulator.SttSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A provider that rejects the request (here: a wrong API key) is not retried and gives
 * 502 with the provider's own message.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class WrongApiKeyTests {

	private static final SttSimulator provider = SttSimulator
		.start(new SttSimulator.Settings(0, 0, 0, Duration.ofSeconds(1), "right-key"));

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void provider(DynamicPropertyRegistry registry) {
		registry.add("http.pool.clients.transcription.base-url", provider::baseUrl);
		registry.add("STT_API_KEY", () -> "wrong-key");
	}

	@AfterAll
	static void closeProvider() {
		provider.close();
	}

	@Test
	void rejectedRequestGives502WithTheProvidersMessage() {
		JsonNode error = Uploads.client(this.port)
			.post()
			.uri("/api/transcriptions")
			.bodyValue(Uploads.wav(TestAudio.bursts(10)))
			.exchange()
			.expectStatus()
			.isEqualTo(502)
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(error.get("message").asString())
			.isEqualTo("upstream 'transcription' answered 401: Incorrect API key provided.");
		assertThat(error.get("upstream").asString()).isEqualTo("transcription");
		assertThat(provider.stats().responsesByStatus()).containsExactly(java.util.Map.entry(401, 1));
	}

}
