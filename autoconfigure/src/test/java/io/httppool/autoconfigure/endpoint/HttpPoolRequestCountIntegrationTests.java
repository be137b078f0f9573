package io.httppool.autoconfigure.endpoint;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.httppool.test.Actuator;
import io.httppool.test.PrometheusScrape;
import io.httppool.test.PrometheusScrape.Sample;
import io.httppool.test.TestUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.netty.http.HttpProtocol;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The {@code requests} of {@code /actuator/httppools} and the count of
 * {@code http_pool_requests_seconds} in {@code /actuator/prometheus} are one number: both
 * count attempts, from the same event, whether the attempt got an answer or not; Spring
 * Boot's {@code http.client.requests} counts calls, tagged with the client.
 */
@SpringBootTest(classes = HttpPoolRequestCountIntegrationTests.App.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive",
				"management.endpoints.web.exposure.include=httppools,prometheus", "http.pool.shutdown-timeout=2s",
				"http.pool.clients.down.protocol=http1", "http.pool.clients.down.retry.enabled=false",
				"http.pool.clients.down.circuit-breaker.enabled=false", "http.pool.clients.up.protocol=h2c",
				"http.pool.clients.up.circuit-breaker.enabled=false", "http.pool.clients.up.retry.initial-backoff=10ms",
				"http.pool.clients.up.retry.jitter=0" })
@DirtiesContext
class HttpPoolRequestCountIntegrationTests {

	private static final AtomicInteger flaky = new AtomicInteger();

	private static final TestUpstream upstream = TestUpstream.speaking(HttpProtocol.H2C)
		.handler((request, response) -> switch (request.path()) {
			case "missing" -> response.status(404).send();
			// every other call of /flaky answers 503 first: the retry's attempt gets the
			// 200
			case "flaky" -> response.status((flaky.getAndIncrement() % 2 == 0) ? 503 : 200).send();
			default -> response.sendString(reactor.core.publisher.Mono.just("ok"));
		})
		.start();

	private static final String closedPortUrl = closedPortUrl();

	@LocalServerPort
	private int port;

	@Autowired
	@Qualifier("down")
	private WebClient down;

	@Autowired
	@Qualifier("up")
	private WebClient up;

	@Autowired
	@Qualifier("up")
	private RestClient upRest;

	private Actuator actuator;

	@DynamicPropertySource
	static void upstreams(DynamicPropertyRegistry registry) {
		registry.add("http.pool.clients.down.base-url", () -> closedPortUrl);
		registry.add("http.pool.clients.up.base-url", upstream::baseUrl);
	}

	@AfterAll
	static void closeUpstream() {
		upstream.close();
	}

	@BeforeEach
	void setUp() {
		this.actuator = new Actuator(this.port);
	}

	@Test
	void whenTheUpstreamPortIsClosedThenEndpointAndMeterCountTheSameFailedAttempts() {
		long before = endpointRequests("down");
		for (int i = 0; i < 5; i++) {
			StepVerifier.create(this.down.get().uri("/a").retrieve().toBodilessEntity())
				.expectError()
				.verify(Duration.ofSeconds(10));
		}
		PrometheusScrape scrape = this.actuator.scrape();
		assertThat(endpointRequests("down") - before).isEqualTo(5);
		assertThat(endpointRequests("down")).isEqualTo((long) attempts(scrape, "down"));
		assertThat(scrape.value("http_pool_requests_seconds_count", "client", "down", "method", "GET", "status",
				"IO_ERROR", "outcome", "UNKNOWN"))
			.isEqualTo(attempts(scrape, "down"));
		assertThat(upstreamCalls(scrape, "down")).as("Spring Boot's observation counts the calls").isEqualTo(5);
	}

	@Test
	void whenAnswersAndRetriesMixThenEndpointAndMeterCountEveryAttemptTheServerSaw() {
		int seenBefore = upstream.requests();
		double callsBefore = upstreamCalls(this.actuator.scrape(), "up");
		for (int i = 0; i < 3; i++) {
			this.up.get().uri("/ok").retrieve().toBodilessEntity().block(Duration.ofSeconds(10));
		}
		for (int i = 0; i < 2; i++) {
			assertThatExceptionOfType(HttpClientErrorException.NotFound.class)
				.isThrownBy(() -> this.upRest.get().uri("/missing").retrieve().toBodilessEntity());
		}
		// one call, two attempts: 503, retried, then 200
		assertThat(this.up.get()
			.uri("/flaky")
			.retrieve()
			.toBodilessEntity()
			.block(Duration.ofSeconds(10))
			.getStatusCode()
			.value()).isEqualTo(200);
		PrometheusScrape scrape = this.actuator.scrape();
		assertThat(upstream.requests() - seenBefore).isEqualTo(7);
		assertThat(endpointRequests("up")).isEqualTo(upstream.requests()).isEqualTo((long) attempts(scrape, "up"));
		assertThat(scrape.value("http_pool_requests_seconds_count", "client", "up", "method", "GET", "status", "503"))
			.isOne();
		assertThat(upstreamCalls(scrape, "up") - callsBefore)
			.as("Spring Boot's observation: one per call, retries inside it")
			.isEqualTo(6);
	}

	private long endpointRequests(String client) {
		Actuator.Response response = this.actuator.get("/httppools/" + client);
		assertThat(response.status()).isEqualTo(200);
		return response.<Number>read("$.state.requests").longValue();
	}

	private static double attempts(PrometheusScrape scrape, String client) {
		return sum(scrape, "http_pool_requests_seconds_count", client);
	}

	private static double upstreamCalls(PrometheusScrape scrape, String client) {
		return sum(scrape, "http_client_requests_seconds_count", client);
	}

	private static double sum(PrometheusScrape scrape, String name, String client) {
		return scrape.samples(name)
			.stream()
			.filter((sample) -> sample.name().equals(name) && client.equals(sample.labels().get("client")))
			.mapToDouble(Sample::value)
			.sum();
	}

	private static String closedPortUrl() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return "http://127.0.0.1:" + socket.getLocalPort();
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

}
