package io.httppool.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.httppool.HttpPoolClientCustomizer;
import io.httppool.HttpPoolClientSettings;
import io.httppool.test.Actuator;
import io.httppool.test.Gate;
import io.httppool.test.PrometheusScrape;
import io.httppool.test.PrometheusScrape.Sample;
import io.httppool.test.TestUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * A running WebFlux application with the actuator and the Prometheus registry: pools
 * saturated against upstreams that hold their responses, watched through
 * {@code /actuator/health} and {@code /actuator/prometheus} over real HTTP.
 */
@SpringBootTest(classes = HttpPoolObservabilityIntegrationTests.App.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive",
				"management.endpoints.web.exposure.include=health,prometheus",
				"management.endpoint.health.show-details=always", "http.pool.shutdown-timeout=2s",
				"http.pool.clients.h1.protocol=http1", "http.pool.clients.h1.max-connections=10",
				"http.pool.clients.h2.protocol=h2c", "http.pool.clients.h2.max-connections=1",
				"http.pool.clients.h2.http2.max-concurrent-streams=10", "http.pool.clients.users.protocol=h2c" })
@DirtiesContext
class HttpPoolObservabilityIntegrationTests {

	private static final Gate gate = new Gate();

	private static final TestUpstream http1Upstream = TestUpstream.speaking(HttpProtocol.HTTP11)
		.handler(gate.handler())
		.start();

	private static final TestUpstream h2cUpstream = TestUpstream.speaking(HttpProtocol.H2C)
		.handler(gate.handler())
		.start();

	private static final TestUpstream usersUpstream = TestUpstream.speaking(HttpProtocol.H2C).start();

	@LocalServerPort
	private int port;

	@Autowired
	private ApplicationContext context;

	private Actuator actuator;

	@DynamicPropertySource
	static void upstreams(DynamicPropertyRegistry registry) {
		registry.add("http.pool.clients.h1.base-url", http1Upstream::baseUrl);
		registry.add("http.pool.clients.h2.base-url", h2cUpstream::baseUrl);
		registry.add("http.pool.clients.users.base-url", usersUpstream::baseUrl);
	}

	@AfterAll
	static void stopUpstreams() {
		gate.open();
		http1Upstream.close();
		h2cUpstream.close();
		usersUpstream.close();
	}

	@BeforeEach
	void setUp() {
		gate.close();
		this.actuator = new Actuator(this.port);
	}

	@AfterEach
	void releaseHeldResponses() {
		gate.open();
	}

	@ParameterizedTest
	@ValueSource(strings = { "h1", "h2" })
	void whenThePoolFillsUpThenHealthGoesUpDegradedDownAndBackUp(String client) {
		TestUpstream upstream = client.equals("h1") ? http1Upstream : h2cUpstream;
		this.context.getBean(CircuitBreakerRegistry.class).circuitBreaker(client);
		WebClient webClient = this.context.getBean(client + "WebClient", WebClient.class);
		double attemptsBefore = this.actuator.scrape()
			.valueOrZero("http_pool_requests_seconds_count", "client", client, "status", "200");
		int seenBefore = upstream.requests();
		AtomicInteger completed = new AtomicInteger();

		send(webClient, 3, completed);
		await().atMost(Duration.ofSeconds(10)).until(() -> upstream.requests() == seenBefore + 3);
		Actuator.Response health = this.actuator.get("/health/httpPools/" + client);
		assertThat(health.status()).isEqualTo(200);
		assertThat(health.<String>read("$.status")).isEqualTo("UP");
		assertThat(health.<Double>read("$.details.utilization")).isCloseTo(0.3, within(1e-9));
		assertThat(health.<String>read("$.details.circuitBreaker")).isEqualTo("CLOSED");

		send(webClient, 4, completed);
		await().atMost(Duration.ofSeconds(10)).until(() -> upstream.requests() == seenBefore + 7);
		health = this.actuator.get("/health/httpPools/" + client);
		assertThat(health.status()).isEqualTo(200);
		assertThat(health.<String>read("$.status")).isEqualTo("DEGRADED");
		assertMetricsMatchHealth(client, health, this.actuator.scrape());
		Actuator.Response root = this.actuator.get("/health");
		assertThat(root.status()).as("a DEGRADED pool still serves").isEqualTo(200);
		assertThat(root.<String>read("$.status")).isEqualTo("DEGRADED");
		assertThat(root.<String>read("$.components.httpPools.status")).isEqualTo("DEGRADED");

		send(webClient, 2, completed);
		await().atMost(Duration.ofSeconds(10)).until(() -> upstream.requests() == seenBefore + 9);
		health = this.actuator.get("/health/httpPools/" + client);
		assertThat(health.status()).isEqualTo(503);
		assertThat(health.<String>read("$.status")).isEqualTo("DOWN");
		assertThat(this.actuator.get("/health").status()).isEqualTo(503);
		Actuator.Response liveness = this.actuator.get("/health/liveness");
		assertThat(liveness.status()).as("a saturated pool must not restart the instance").isEqualTo(200);
		assertThat(liveness.<String>read("$.status")).isEqualTo("UP");
		assertThat(this.actuator.get("/health/readiness").status())
			.as("httpPools is in the readiness group only if the application puts it there")
			.isEqualTo(200);

		send(webClient, 2, completed);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.actuator.get("/health/httpPools/" + client)
				.<Integer>read("$.details.pendingAcquires") == 1);
		health = this.actuator.get("/health/httpPools/" + client);
		assertThat(health.<String>read("$.status")).isEqualTo("DOWN");
		assertThat(health.<Double>read("$.details.utilization")).isEqualTo(1.0);
		assertMetricsMatchHealth(client, health, this.actuator.scrape());

		gate.open();
		await().atMost(Duration.ofSeconds(10)).until(() -> completed.get() == 11);
		health = this.actuator.get("/health/httpPools/" + client);
		assertThat(health.status()).isEqualTo(200);
		assertThat(health.<String>read("$.status")).isEqualTo("UP");
		assertThat(health.<Number>read("$.details.utilization").doubleValue()).isZero();
		// an HTTP/2 connection stays with the stream pool while open: its load is streams
		assertThat(
				health.<Integer>read(client.equals("h1") ? "$.details.activeConnections" : "$.details.activeStreams"))
			.isZero();
		PrometheusScrape scrape = this.actuator.scrape();
		assertThat(scrape.value("http_pool_requests_seconds_count", "client", client, "method", "GET", "status", "200",
				"outcome", "SUCCESS") - attemptsBefore)
			.isEqualTo(upstream.requests() - seenBefore)
			.isEqualTo(11);
		assertThat(scrape.value("http_pool_connections_opened_total", "client", client))
			.isEqualTo(upstream.connectionsAccepted());
		assertThat(scrape.samples("http_pool_requests_seconds_bucket")).anyMatch(
				(sample) -> client.equals(sample.labels().get("client")) && "0.005".equals(sample.labels().get("le")));
	}

	@Test
	void whenTenThousandDistinctUrisAreCalledThenTheScrapeStaysSmall() {
		WebClient users = this.context.getBean("usersWebClient", WebClient.class);
		PrometheusScrape before = this.actuator.scrape();
		int seenBefore = usersUpstream.requests();
		Flux.range(0, 10_000)
			.flatMap((id) -> users.get().uri("/users/{id}", id).retrieve().toBodilessEntity(), 64)
			.blockLast(Duration.ofSeconds(120));
		PrometheusScrape after = this.actuator.scrape();
		assertThat(usersUpstream.requests() - seenBefore).isEqualTo(10_000);
		List<Sample> ours = after.samples("http_pool_")
			.stream()
			.filter((sample) -> "users".equals(sample.labels().get("client")))
			.toList();
		assertThat(ours.stream()
			.filter((sample) -> sample.name().equals("http_pool_requests_seconds_count"))
			.mapToDouble(Sample::value)
			.sum()).isEqualTo(10_000);
		// 6 gauges, the counter, and one timer: 13 buckets, count, sum and max
		assertThat(ours).hasSizeLessThanOrEqualTo(23);
		assertThat(after.samples()).noneMatch(
				(sample) -> sample.labels().values().stream().anyMatch((value) -> value.matches(".*/users/[0-9]+.*")));
		assertThat(after.samples().size() - before.samples().size()).as("new series for 10,000 distinct URIs")
			.isLessThan(60);
		assertThat(after.text().length() - before.text().length()).as("scrape growth in bytes").isLessThan(12_000);
	}

	@Test
	void whenReactorNettyMetricsAreEnabledThenItsClientMetersArePublishedNextToOurs() {
		WebClient users = this.context.getBean("usersWebClient", WebClient.class);
		users.get().uri("/users/{id}", 1).retrieve().toBodilessEntity().block(Duration.ofSeconds(10));
		PrometheusScrape scrape = this.actuator.scrape();
		assertThat(scrape.samples("reactor_netty_http_client_")).isNotEmpty();
		assertThat(scrape.samples("http_pool_connections_active"))
			.anyMatch((sample) -> "users".equals(sample.labels().get("client")));
		assertThat(scrape.samples("reactor_netty_connection_provider_"))
			.as("pool gauges are ours only: the core hands Reactor Netty its own MeterRegistrar")
			.noneMatch((sample) -> "users".equals(sample.labels().get("name")));
	}

	private static void send(WebClient webClient, int count, AtomicInteger completed) {
		for (int i = 0; i < count; i++) {
			webClient.get()
				.uri("/held")
				.retrieve()
				.toBodilessEntity()
				.subscribe((response) -> completed.incrementAndGet(), (ex) -> {
				});
		}
	}

	private static void assertMetricsMatchHealth(String client, Actuator.Response health, PrometheusScrape scrape) {
		Map<String, Object> details = health.read("$.details");
		assertThat(scrape.value("http_pool_connections_active", "client", client))
			.isEqualTo(((Number) details.get("activeConnections")).doubleValue());
		assertThat(scrape.value("http_pool_connections_idle", "client", client))
			.isEqualTo(((Number) details.get("idleConnections")).doubleValue());
		assertThat(scrape.value("http_pool_connections_pending", "client", client))
			.isEqualTo(((Number) details.get("pendingAcquires")).doubleValue());
		assertThat(scrape.value("http_pool_connections_max", "client", client))
			.isEqualTo(((Number) details.get("maxConnections")).doubleValue());
		assertThat(scrape.value("http_pool_utilization", "client", client))
			.isEqualTo(((Number) details.get("utilization")).doubleValue());
		if ("HTTP/2".equals(details.get("protocol"))) {
			assertThat(scrape.value("http_pool_streams_active", "client", client))
				.isEqualTo(((Number) details.get("activeStreams")).doubleValue());
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean
		HttpPoolClientCustomizer reactorNettyMetricsOfUsers() {
			return new HttpPoolClientCustomizer() {

				@Override
				public HttpClient customizeHttpClient(HttpPoolClientSettings settings, HttpClient httpClient) {
					return settings.name().equals("users") ? httpClient.metrics(true, (uri) -> "/users/{id}")
							: httpClient;
				}

			};
		}

	}

}
