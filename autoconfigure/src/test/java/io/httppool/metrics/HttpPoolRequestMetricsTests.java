package io.httppool.metrics;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.httppool.HttpPoolClients;
import io.httppool.autoconfigure.HttpPoolAutoConfiguration;
import io.httppool.autoconfigure.metrics.HttpPoolMetricsAutoConfiguration;
import io.httppool.test.Gate;
import io.httppool.test.TestUpstream;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.search.MeterNotFoundException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpProtocol;
import reactor.test.StepVerifier;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The {@code http.pool.requests} timer over real HTTP: status and outcome tags for
 * responses and for every kind of failure.
 */
class HttpPoolRequestMetricsTests {

	private static final Gate gate = new Gate();

	private static TestUpstream upstream;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HttpPoolAutoConfiguration.class,
				HttpPoolMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
		.withPropertyValues("http.pool.shutdown-timeout=1s", "http.pool.defaults.base-url=" + upstream.baseUrl(),
				"http.pool.defaults.protocol=http1");

	@BeforeAll
	static void startUpstream() {
		upstream = TestUpstream.speaking(HttpProtocol.HTTP11, HttpProtocol.H2C).handler((request, response) -> {
			String path = request.path();
			if (path.startsWith("status/")) {
				return response.status(Integer.parseInt(path.substring("status/".length()))).send();
			}
			return gate.handler().apply(request, response);
		}).start();
	}

	@AfterAll
	static void stopUpstream() {
		gate.open();
		upstream.close();
	}

	@BeforeEach
	void closeGate() {
		gate.close();
	}

	@AfterEach
	void openGate() {
		gate.open();
	}

	@Test
	void whenResponsesArriveThenStatusAndOutcomeAreTagged() {
		this.runner.withPropertyValues("http.pool.clients.api.protocol=h2c").run((context) -> {
			WebClient client = context.getBean("apiWebClient", WebClient.class);
			for (int status : new int[] { 200, 302, 404, 503 }) {
				client.get()
					.uri("/status/{status}", status)
					.retrieve()
					.toBodilessEntity()
					.onErrorResume((ex) -> Mono.empty())
					.block(Duration.ofSeconds(10));
			}
			assertThat(timer(context, "api", "GET", "200", "SUCCESS").count()).isOne();
			assertThat(timer(context, "api", "GET", "302", "REDIRECTION").count()).isOne();
			assertThat(timer(context, "api", "GET", "404", "CLIENT_ERROR").count()).isOne();
			assertThat(timer(context, "api", "GET", "503", "SERVER_ERROR").count()).isOne();
		});
	}

	@Test
	void whenRestClientSendsThenItsAttemptsAreTimedToo() {
		this.runner.withPropertyValues("http.pool.clients.api.base-url=" + upstream.baseUrl()).run((context) -> {
			RestClient client = context.getBean("apiRestClient", RestClient.class);
			assertThatExceptionOfType(RestClientResponseException.class)
				.isThrownBy(() -> client.delete().uri("/status/500").retrieve().toBodilessEntity());
			client.put().uri("/status/204").body("x").retrieve().toBodilessEntity();
			assertThat(timer(context, "api", "DELETE", "500", "SERVER_ERROR").count()).isOne();
			assertThat(timer(context, "api", "PUT", "204", "SUCCESS").count()).isOne();
		});
	}

	@Test
	void whenResponseTimesOutThenStatusIsTimeout() {
		this.runner
			.withPropertyValues("http.pool.clients.api.response-timeout=200ms",
					"http.pool.clients.api.pending-acquire-timeout=200ms")
			.run((context) -> {
				StepVerifier.create(hold(context, "api")).expectError().verify(Duration.ofSeconds(10));
				Timer timer = timer(context, "api", "GET", "TIMEOUT", "UNKNOWN");
				assertThat(timer.count()).isOne();
				assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(150.0);
			});
	}

	@Test
	void whenNoConnectionFreesUpInTimeThenStatusIsTimeoutAndTheWaitIsTimed() {
		this.runner
			.withPropertyValues("http.pool.clients.api.max-connections=1",
					"http.pool.clients.api.pending-acquire-timeout=300ms")
			.run((context) -> {
				int before = upstream.requests();
				Disposable held = hold(context, "api").subscribe(null, (ex) -> {
				});
				await().atMost(Duration.ofSeconds(10)).until(() -> upstream.requests() == before + 1);
				StepVerifier.create(hold(context, "api")).expectError().verify(Duration.ofSeconds(10));
				Timer timer = timer(context, "api", "GET", "TIMEOUT", "UNKNOWN");
				assertThat(timer.count()).isOne();
				assertThat(timer.totalTime(TimeUnit.MILLISECONDS))
					.as("the wait for a connection is part of the attempt")
					.isGreaterThanOrEqualTo(250.0);
				held.dispose();
			});
	}

	@Test
	void whenThePendingQueueIsFullThenStatusIsClientError() {
		this.runner
			.withPropertyValues("http.pool.clients.api.max-connections=1",
					"http.pool.clients.api.pending-acquire-max-count=1")
			.run((context) -> {
				int before = upstream.requests();
				Disposable first = hold(context, "api").subscribe(null, (ex) -> {
				});
				await().atMost(Duration.ofSeconds(10)).until(() -> upstream.requests() == before + 1);
				Disposable second = hold(context, "api").subscribe(null, (ex) -> {
				});
				HttpPoolClients clients = context.getBean(HttpPoolClients.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> clients.get("api").state().pendingAcquires() == 1);
				StepVerifier.create(hold(context, "api")).expectError().verify(Duration.ofSeconds(10));
				assertThat(timer(context, "api", "GET", "CLIENT_ERROR", "UNKNOWN").count()).isOne();
				gate.open();
				// the 200 timer exists only once the first held response has been
				// recorded
				await().atMost(Duration.ofSeconds(10))
					.ignoreException(MeterNotFoundException.class)
					.until(() -> timer(context, "api", "GET", "200", "SUCCESS").count() == 2);
				first.dispose();
				second.dispose();
			});
	}

	@Test
	void whenTheConnectionIsRefusedThenStatusIsIoError() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		this.runner.withPropertyValues("http.pool.clients.api.base-url=http://127.0.0.1:" + closedPort)
			.run((context) -> {
				StepVerifier.create(hold(context, "api")).expectError().verify(Duration.ofSeconds(10));
				assertThat(timer(context, "api", "GET", "IO_ERROR", "UNKNOWN").count()).isOne();
			});
	}

	private static Mono<?> hold(AssertableApplicationContext context, String client) {
		return context.getBean(client + "WebClient", WebClient.class).get().uri("/hold").retrieve().toBodilessEntity();
	}

	private static Timer timer(AssertableApplicationContext context, String client, String method, String status,
			String outcome) {
		return context.getBean(MeterRegistry.class)
			.get(HttpPoolMeters.REQUESTS)
			.tags(HttpPoolMeters.CLIENT, client, HttpPoolMeters.METHOD, method, HttpPoolMeters.STATUS, status,
					HttpPoolMeters.OUTCOME, outcome)
			.timer();
	}

}
