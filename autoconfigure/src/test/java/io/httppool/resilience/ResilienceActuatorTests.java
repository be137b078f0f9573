package io.httppool.resilience;

import java.time.Duration;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.httppool.HttpPoolClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client's Resilience4j instances seen from outside: actuator endpoints and
 * Prometheus meters name them after the client.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=circuitbreakers,retries,bulkheads,prometheus",
				"http.pool.clients.transcription.protocol=http1",
				"http.pool.clients.transcription.bulkhead.max-concurrent-calls=10",
				"http.pool.clients.transcription.retry.initial-backoff=10ms", "http.pool.shutdown-timeout=2s" })
class ResilienceActuatorTests {

	private static final WireMockServer server = startServer();

	@LocalServerPort
	private int port;

	@Autowired
	private HttpPoolClients clients;

	@Autowired
	private CircuitBreakerRegistry circuitBreakers;

	private static WireMockServer startServer() {
		WireMockServer server = new WireMockServer(options().dynamicPort());
		server.start();
		server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503)));
		return server;
	}

	@DynamicPropertySource
	static void upstream(DynamicPropertyRegistry registry) {
		registry.add("http.pool.clients.transcription.base-url", server::baseUrl);
	}

	@AfterAll
	static void stop() {
		server.stop();
	}

	private String get(String path) {
		return WebClient.create("http://127.0.0.1:" + this.port)
			.get()
			.uri(path)
			.retrieve()
			.bodyToMono(String.class)
			.block(Duration.ofSeconds(10));
	}

	@Test
	void endpointsAndMetersNameTheInstancesAfterTheClient() {
		for (int i = 0; i < 5; i++) {
			this.clients.get("transcription")
				.webClient()
				.get()
				.uri("/x")
				.exchangeToMono((response) -> response.releaseBody())
				.onErrorComplete()
				.block(Duration.ofSeconds(30));
		}
		assertThat(this.circuitBreakers.circuitBreaker("transcription").getState().name()).isEqualTo("OPEN");
		assertThat(get("/actuator/circuitbreakers")).contains("\"transcription\"").contains("\"OPEN\"");
		assertThat(get("/actuator/retries")).contains("transcription");
		assertThat(get("/actuator/bulkheads")).contains("transcription");
		String scrape = get("/actuator/prometheus");
		assertThat(scrape).containsPattern(
				"resilience4j_circuitbreaker_state\\{[^}]*name=\"transcription\"[^}]*state=\"open\"[^}]*\\} 1\\.0");
		assertThat(scrape).containsPattern("resilience4j_retry_calls_total\\{[^}]*name=\"transcription\"");
		assertThat(scrape)
			.containsPattern("resilience4j_bulkhead_max_allowed_concurrent_calls\\{[^}]*name=\"transcription\"");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

}
