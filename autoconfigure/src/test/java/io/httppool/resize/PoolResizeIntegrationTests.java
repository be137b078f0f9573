package io.httppool.resize;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import io.httppool.test.Actuator;
import io.httppool.test.Gate;
import io.httppool.test.LeakDetection;
import io.httppool.test.PrometheusScrape;
import io.httppool.test.TestUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.netty.http.HttpProtocol;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pools resized twice through {@code POST /actuator/httppools/<name>} while 1,000 calls
 * are in flight against upstreams that hold every response: no call fails, calls made
 * after a resize run on the new pool (the upstream sees the new limits), the previous
 * pools close their connections once drained, and the endpoint, health and the Prometheus
 * scrape show the new limits.
 */
@SpringBootTest(classes = PoolResizeIntegrationTests.App.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive",
				"management.endpoints.web.exposure.include=health,prometheus,httppools",
				"management.endpoint.httppools.access=unrestricted", "management.endpoint.health.show-details=always",
				"http.pool.shutdown-timeout=10s", "http.pool.defaults.retry.enabled=false",
				"http.pool.defaults.circuit-breaker.enabled=false", "http.pool.defaults.response-timeout=60s",
				"http.pool.defaults.pending-acquire-timeout=60s", "http.pool.defaults.pending-acquire-max-count=2000",
				"http.pool.clients.h1.protocol=http1", "http.pool.clients.h1.max-connections=20",
				"http.pool.clients.h2.protocol=h2c", "http.pool.clients.h2.max-connections=2",
				"http.pool.clients.h2.http2.max-concurrent-streams=100" })
@DirtiesContext
class PoolResizeIntegrationTests {

	private static final Gate gate = new Gate();

	private static final TestUpstream http1Upstream = TestUpstream.speaking(HttpProtocol.HTTP11)
		.handler(gate.handler())
		.start();

	private static final TestUpstream h2cUpstream = TestUpstream.speaking(HttpProtocol.H2C)
		.handler(gate.handler())
		.start();

	@LocalServerPort
	private int port;

	@Autowired
	private ApplicationContext context;

	private Actuator actuator;

	@DynamicPropertySource
	static void upstreams(DynamicPropertyRegistry registry) {
		registry.add("http.pool.clients.h1.base-url", http1Upstream::baseUrl);
		registry.add("http.pool.clients.h2.base-url", h2cUpstream::baseUrl);
	}

	@AfterAll
	static void stopUpstreams() {
		gate.open();
		http1Upstream.close();
		h2cUpstream.close();
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

	/**
	 * Three waves of calls, all held by the upstream: 400 on the first pool, 300 after
	 * the first resize, 300 after the second. Each wave reaches the upstream as far as
	 * its pool allows: that many requests and that many new connections. Of each wave 20
	 * calls go through the {@code RestClient}, the others through the {@code WebClient}.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "h1", "h2" })
	void whenThePoolIsResizedTwiceUnderLoadThenNoCallFailsAndTheNewLimitsApply(String client) throws Exception {
		boolean h2 = client.equals("h2");
		TestUpstream upstream = h2 ? h2cUpstream : http1Upstream;
		// HTTP/1.1: requests reach the upstream up to max-connections; HTTP/2 up to
		// max-connections x max-concurrent-streams
		List<Wave> waves = h2
				? List.of(new Wave(400, "{}", 2, 200),
						new Wave(300, "{\"max-connections\": 4, \"http2.max-concurrent-streams\": 50}", 4, 200),
						new Wave(300, "{\"max-connections\": 1, \"http2.max-concurrent-streams\": 20}", 1, 20))
				: List.of(new Wave(400, "{}", 20, 20), new Wave(300, "{\"max-connections\": 50}", 50, 50),
						new Wave(300, "{\"max-connections\": 10, \"pending-acquire-max-count\": 500}", 10, 10));
		WebClient webClient = this.context.getBean(client + "WebClient", WebClient.class);
		RestClient restClient = this.context.getBean(client + "RestClient", RestClient.class);
		AtomicInteger succeeded = new AtomicInteger();
		AtomicInteger failed = new AtomicInteger();
		ExecutorService blocking = Executors.newFixedThreadPool(60);
		int requestsBefore = upstream.requests();
		int connectionsBefore = upstream.connectionsAccepted();
		try (LeakDetection leaks = LeakDetection.paranoid()) {
			int reached = 0;
			int opened = 0;
			for (int i = 0; i < waves.size(); i++) {
				Wave wave = waves.get(i);
				if (i > 0) {
					Actuator.Response resized = this.actuator.post("/httppools/" + client, wave.body());
					assertThat(resized.status()).as(resized.body()).isEqualTo(200);
					assertThat(resized.<Integer>read("$.settings['max-connections']")).isEqualTo(wave.connections());
				}
				for (int call = 0; call < 20; call++) {
					blocking.execute(() -> {
						try {
							assertThat(restClient.get().uri("/rest").retrieve().body(String.class)).isEqualTo("ok");
							succeeded.incrementAndGet();
						}
						catch (Throwable ex) {
							failed.incrementAndGet();
						}
					});
				}
				Flux.range(0, wave.calls() - 20)
					.flatMap((call) -> webClient.get().uri("/web").retrieve().bodyToMono(String.class), 1000)
					.subscribe((body) -> succeeded.incrementAndGet(), (ex) -> failed.incrementAndGet());
				int expectedRequests = requestsBefore + reached + wave.reached();
				int expectedConnections = connectionsBefore + opened + wave.connections();
				await().atMost(Duration.ofSeconds(30)).until(() -> upstream.requests() >= expectedRequests);
				await().atMost(Duration.ofSeconds(30))
					.until(() -> upstream.connectionsAccepted() >= expectedConnections);
				reached += wave.reached();
				opened += wave.connections();
				assertThat(upstream.requests()).as("requests reaching the upstream on pools of the sizes so far")
					.isEqualTo(expectedRequests);
				assertThat(upstream.connectionsAccepted()).as("connections of the pools so far")
					.isEqualTo(expectedConnections);
			}
			assertNewLimits(client, waves.get(2), h2);

			gate.open();
			await().atMost(Duration.ofSeconds(60)).until(() -> succeeded.get() + failed.get() == 1000);
			assertThat(failed.get()).isZero();
			assertThat(succeeded.get()).isEqualTo(1000);
			assertThat(upstream.requests() - requestsBefore).isEqualTo(1000);
			// the two previous pools drain and close their connections; the last keeps
			// its
			await().atMost(Duration.ofSeconds(20))
				.until(() -> upstream.openConnections() <= waves.get(2).connections());
			assertThat(this.actuator.scrape().value("http_pool_connections_opened_total", "client", client))
				.as("the counter keeps counting across pools")
				.isEqualTo(upstream.connectionsAccepted());
			Actuator.Response health = this.actuator.get("/health/httpPools/" + client);
			assertThat(health.<String>read("$.status")).isEqualTo("UP");
			assertThat(health.<Integer>read("$.details.maxConnections")).isEqualTo(waves.get(2).connections());
			assertThat(health.<Integer>read("$.details.pendingAcquires")).isZero();
			leaks.assertNoLeak();
		}
		finally {
			blocking.shutdownNow();
		}
	}

	private void assertNewLimits(String client, Wave last, boolean h2) {
		Actuator.Response pool = this.actuator.get("/httppools/" + client);
		assertThat(pool.<Integer>read("$.settings['max-connections']")).isEqualTo(last.connections());
		assertThat(pool.<Integer>read("$.state.maxConnections")).isEqualTo(last.connections());
		Actuator.Response health = this.actuator.get("/health/httpPools/" + client);
		assertThat(health.<Integer>read("$.details.maxConnections")).isEqualTo(last.connections());
		PrometheusScrape scrape = this.actuator.scrape();
		assertThat(scrape.value("http_pool_connections_max", "client", client)).isEqualTo(last.connections());
		assertThat(scrape.samples("http_pool_connections_max"))
			.filteredOn((sample) -> client.equals(sample.labels().get("client")))
			.as("one series per client, no stale or duplicate meters")
			.hasSize(1);
		if (h2) {
			assertThat(pool.<Integer>read("$.settings.http2['max-concurrent-streams']")).isEqualTo(20);
			assertThat(pool.<Integer>read("$.state.maxConcurrentStreams")).isEqualTo(20);
		}
		else {
			assertThat(pool.<Integer>read("$.settings['pending-acquire-max-count']")).isEqualTo(500);
		}
	}

	@Test
	void whenTheClientIsUnknownThenTheWriteAnswers404NamingTheKnownClients() {
		Actuator.Response response = this.actuator.post("/httppools/nope", "{\"max-connections\": 5}");
		assertThat(response.status()).isEqualTo(404);
		assertThat(response.<String>read("$.message")).contains("'nope'").contains("h1").contains("h2");
	}

	@Test
	void whenAValueBreaksAStartupRuleThenTheWriteAnswers400NamingTheKeyAndTheSizeStays() {
		int before = this.actuator.get("/httppools/h1").<Integer>read("$.settings['max-connections']");
		assertBadRequest("{\"max-connections\": 0}", "http.pool.clients.h1.max-connections", "at least 1");
		assertBadRequest("{\"pending-acquire-max-count\": -3}", "http.pool.clients.h1.pending-acquire-max-count",
				"at least 1");
		assertBadRequest("{\"max-connections\": \"many\"}", "http.pool.clients.h1.max-connections", "a whole number");
		assertBadRequest("{\"max-idle-time\": \"1s\"}", "http.pool.clients.h1.max-idle-time",
				"the keys that can change at runtime are [max-connections, pending-acquire-max-count, "
						+ "http2.max-concurrent-streams]");
		assertBadRequest("{}", "http.pool.clients.h1", "at least one of");
		assertThat(this.actuator.get("/httppools/h1").<Integer>read("$.settings['max-connections']")).isEqualTo(before);
	}

	@Test
	void whenAnHttp2PoolWouldHoldFewerConnectionsThanItsMinimumThenTheWriteAnswers400() {
		Actuator.Response response = this.actuator.post("/httppools/h2",
				"{\"max-connections\": 1, \"http2.max-concurrent-streams\": 0}");
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.<String>read("$.message"))
			.isEqualTo("http.pool.clients.h2.http2.max-concurrent-streams must be at least 1 but was 0");
	}

	private void assertBadRequest(String body, String property, String allowed) {
		Actuator.Response response = this.actuator.post("/httppools/h1", body);
		assertThat(response.status()).as(response.body()).isEqualTo(400);
		assertThat(response.<String>read("$.property")).isEqualTo(property);
		assertThat(response.<String>read("$.allowed")).contains(allowed);
		assertThat(response.<String>read("$.message")).startsWith(property + " must be ");
	}

	/**
	 * One wave of calls.
	 *
	 * @param calls calls in the wave
	 * @param body the resize before it
	 * @param connections max-connections of its pool
	 * @param reached requests of the wave that reach the upstream while it holds them
	 */
	private record Wave(int calls, String body, int connections, int reached) {

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

}
