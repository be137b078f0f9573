package io.httppool.sample;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operations: health, prometheus and httppools are exposed, nothing else.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.upstream.real-time-factor=0")
@DirtiesContext
class ActuatorTests {

	@LocalServerPort
	private int port;

	private WebTestClient client;

	@BeforeEach
	void client() {
		this.client = Uploads.client(this.port);
	}

	@Test
	void healthAndPrometheusAreExposedAndOtherEndpointsAreNot() {
		this.client.get().uri("/actuator/health").exchange().expectStatus().isOk();
		this.client.get().uri("/actuator/prometheus").exchange().expectStatus().isOk();
		for (String hidden : new String[] { "env", "beans", "configprops", "metrics", "loggers", "threaddump",
				"heapdump", "info" }) {
			this.client.get().uri("/actuator/" + hidden).exchange().expectStatus().isNotFound();
		}
	}

	/** Needs the observability branch (the httppools endpoint). */
	@Test
	void httppoolsEndpointIsExposed() {
		JsonNode links = this.client.get()
			.uri("/actuator")
			.exchange()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody()
			.get("_links");
		assertThat(links.propertyNames()).contains("health", "prometheus", "httppools")
			.doesNotContain("env", "beans", "metrics");
		this.client.get().uri("/actuator/httppools").exchange().expectStatus().isOk();
		this.client.get().uri("/actuator/httppools/transcription").exchange().expectStatus().isOk();
	}

	/**
	 * Needs the observability branch (httpPools health component and http.pool meters).
	 */
	@Test
	void healthAndPrometheusShowTheTranscriptionPool() {
		this.client.post()
			.uri("/api/transcriptions")
			.bodyValue(Uploads.wav(TestAudio.bursts(20)))
			.exchange()
			.expectStatus()
			.isOk();
		JsonNode health = this.client.get()
			.uri("/actuator/health")
			.exchange()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		JsonNode pool = health.at("/components/httpPools/components/transcription");
		assertThat(pool.isMissingNode()).as("httpPools health component in %s", health).isFalse();
		assertThat(pool.at("/status").asString()).isEqualTo("UP");
		assertThat(pool.at("/details/protocol").asString()).isEqualTo("HTTP/2");
		String scrape = this.client.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(scrape).contains("http_pool_connections_opened_total{client=\"transcription\"} 1.0")
			.containsPattern(
					"(?m)^http_pool_requests_seconds_count\\{[^}]*client=\"transcription\"[^}]*status=\"200\"[^}]*} 2(\\.0)?$");
	}

}
