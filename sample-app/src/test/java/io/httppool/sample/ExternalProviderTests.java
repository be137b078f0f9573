package io.httppool.sample;

import java.time.Duration;

import io.httppool.sample.simulator.SttSimulator;
import io.httppool.sample.transcription.Transcription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pointing the sample at another provider is configuration only: with a base URL the
 * embedded simulator does not start, and the API key goes out as a bearer token. The
 * "provider" here is a separate simulator that accepts only the key {@code test-key}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class ExternalProviderTests {

	private static final SttSimulator provider = SttSimulator
		.start(new SttSimulator.Settings(0, 0, 0, Duration.ofSeconds(1), "test-key"));

	@LocalServerPort
	private int port;

	@Autowired
	private ApplicationContext context;

	@DynamicPropertySource
	static void provider(DynamicPropertyRegistry registry) {
		registry.add("http.pool.clients.transcription.base-url", provider::baseUrl);
		registry.add("STT_API_KEY", () -> "test-key");
	}

	@AfterAll
	static void closeProvider() {
		provider.close();
	}

	@Test
	void configuredProviderReplacesTheSimulatorAndReceivesTheApiKey() {
		assertThat(this.context.containsBean("sttSimulator")).isFalse();
		Transcription transcription = Uploads.transcribe(this.port, TestAudio.sample());
		assertThat(transcription.chunks()).isEqualTo(2);
		// a plain http:// base URL with protocol auto speaks HTTP/1.1
		assertThat(transcription.upstream().protocol()).isEqualTo("HTTP/1.1");
		assertThat(provider.stats().responsesByStatus()).containsOnlyKeys(200);
		assertThat(provider.stats().requests()).isEqualTo(2);
	}

}
