package io.httppool.sample;

import io.httppool.sample.simulator.SttSimulator;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upstream that stays down: the caller gets a 503 JSON error naming the upstream, and
 * once the circuit breaker opens it shows in health and requests stop reaching the
 * upstream.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.upstream.real-time-factor=0", "sample.upstream.error-rate=1",
				"http.pool.clients.transcription.retry.initial-backoff=10ms",
				"http.pool.clients.transcription.circuit-breaker.consecutive-failures=2",
				// open long enough for the assertions below, whatever the machine's speed
				"http.pool.clients.transcription.circuit-breaker.initial-open-duration=1m" })
@DirtiesContext
class UpstreamDownTests {

	@LocalServerPort
	private int port;

	@Autowired
	private SttSimulator simulator;

	private WebTestClient client;

	@BeforeEach
	void client() {
		this.client = Uploads.client(this.port);
	}

	@Test
	void upstreamThatStaysDownGives503NamingTheUpstream() {
		JsonNode error = transcribeAndExpect503();
		assertThat(error.get("message").asString()).startsWith("upstream 'transcription' ");
		assertThat(this.simulator.stats().responsesByStatus()).containsOnlyKeys(503);
	}

	@Test
	void progressStreamAnswers503NamingTheUpstreamWhenNoChunkWasTranscribed() {
		JsonNode error = this.client.post()
			.uri("/api/transcriptions")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.bodyValue(Uploads.wav(TestAudio.sample()))
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(error.get("status").asInt()).isEqualTo(503);
		assertThat(error.get("upstream").asString()).isEqualTo("transcription");
		assertThat(error.get("message").asString()).startsWith("upstream 'transcription' ");
	}

	/**
	 * Needs the resilience branch (retry and circuit breaker) and the observability
	 * branch (httpPools health component).
	 */
	@Test
	void openBreakerShowsInHealthAndKeepsRequestsFromTheUpstream() {
		transcribeAndExpect503();
		JsonNode health = this.client.get()
			.uri("/actuator/health")
			.exchange()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		JsonNode breaker = health.at("/components/httpPools/components/transcription/details/circuitBreaker");
		assertThat(breaker.isMissingNode()).as("circuitBreaker detail of the httpPools health component in %s", health)
			.isFalse();
		assertThat(breaker.toString()).containsIgnoringCase("open");
		int requestsBefore = this.simulator.stats().requests();
		JsonNode error = transcribeAndExpect503();
		assertThat(error.get("message").asString()).startsWith("upstream 'transcription' ");
		assertThat(this.simulator.stats().requests()).isEqualTo(requestsBefore);
		String scrape = this.client.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(scrape).containsPattern(
				"resilience4j_circuitbreaker_state\\{[^}]*name=\"transcription\",[^}]*state=\"open\"[^}]*} 1\\.0");
	}

	private JsonNode transcribeAndExpect503() {
		JsonNode error = this.client.post()
			.uri("/api/transcriptions")
			.bodyValue(Uploads.wav(TestAudio.sample()))
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(error.get("status").asInt()).isEqualTo(503);
		assertThat(error.get("error").asString()).isEqualTo("Service Unavailable");
		assertThat(error.get("upstream").asString()).isEqualTo("transcription");
		return error;
	}

}
