package io.httppool;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.httppool.autoconfigure.metrics.HttpPoolMetricsAutoConfiguration;
import io.httppool.metrics.HttpPoolMeters;
import io.httppool.test.HttpPoolTestContexts;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What runs per attempt for the {@code http.pool.requests} timer: the client's guard
 * records it, Reactor Netty's client carries no metrics hook, and with the timer switched
 * off (or no registry) nothing but the attempt count runs.
 */
class AttemptHooksTests {

	private static String closedPortUrl;

	private final ApplicationContextRunner withMetrics = HttpPoolTestContexts.core()
		.withConfiguration(AutoConfigurations.of(HttpPoolMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
		.withPropertyValues("http.pool.shutdown-timeout=1s", "http.pool.clients.api.base-url=" + closedPortUrl,
				"http.pool.clients.api.retry.enabled=false");

	@BeforeAll
	static void findClosedPort() throws Exception {
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPortUrl = "http://127.0.0.1:" + socket.getLocalPort();
		}
	}

	@Test
	void whenTheTimerIsOnThenTheGuardRecordsAttemptsAndReactorNettyHasNoMetricsHook() {
		this.withMetrics.run((context) -> {
			HttpPoolClient client = context.getBean(HttpPoolClients.class).get("api");
			assertThat(client.guard().attempts().records()).isTrue();
			assertThat(client.httpClient().configuration().metricsRecorder()).isNull();
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.find(HttpPoolMeters.REQUESTS).timers())
				.as("asking the registry whether it records the timer leaves no series behind")
				.isEmpty();
			failOnce(context);
			assertThat(registry.get(HttpPoolMeters.REQUESTS).tag(HttpPoolMeters.CLIENT, "api").timer().count()).isOne();
			assertThat(client.state().requests()).isOne();
		});
	}

	@Test
	void whenMetricsOfThePrefixAreOffThenAttemptsAreOnlyCounted() {
		this.withMetrics.withPropertyValues("management.metrics.enable.http.pool=false")
			.run(AttemptHooksTests::assertOnlyCounted);
	}

	@Test
	void whenOnlyTheRequestTimerIsOffThenAttemptsAreOnlyCountedAndThePoolMetersStay() {
		this.withMetrics.withPropertyValues("management.metrics.enable.http.pool.requests=false").run((context) -> {
			assertOnlyCounted(context);
			assertThat(context.getBean(MeterRegistry.class)
				.find(HttpPoolMeters.UTILIZATION)
				.tag(HttpPoolMeters.CLIENT, "api")
				.gauge()).isNotNull();
		});
	}

	@Test
	void whenThereIsNoMeterRegistryThenAttemptsAreOnlyCounted() {
		HttpPoolTestContexts.core()
			.withPropertyValues("http.pool.shutdown-timeout=1s", "http.pool.clients.api.base-url=" + closedPortUrl,
					"http.pool.clients.api.retry.enabled=false")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(MeterRegistry.class);
				assertOnlyCounted(context);
			});
	}

	@Test
	void whenARecorderThrowsThenTheCallerStillGetsTheTypedFailureAndTheOtherRecordersRun() {
		List<Throwable> seen = new CopyOnWriteArrayList<>();
		HttpPoolClientCustomizer broken = new HttpPoolClientCustomizer() {

			@Override
			public HttpPoolAttemptRecorder attemptRecorder(HttpPoolClientSettings settings) {
				return new HttpPoolAttemptRecorder() {

					@Override
					public void responded(HttpMethod method, int status, long nanos) {
						throw new IllegalStateException("broken recorder");
					}

					@Override
					public void failed(HttpMethod method, Throwable failure, long nanos) {
						seen.add(failure);
						throw new IllegalStateException("broken recorder");
					}

				};
			}

		};
		this.withMetrics.withBean("brokenRecorder", HttpPoolClientCustomizer.class, () -> broken).run((context) -> {
			StepVerifier.create(context.getBean("apiWebClient", WebClient.class).get().retrieve().toBodilessEntity())
				.expectError(HttpPoolTransportException.class)
				.verify(Duration.ofSeconds(10));
			assertThat(seen).hasSize(1);
			assertThat(context.getBean(MeterRegistry.class)
				.get(HttpPoolMeters.REQUESTS)
				.tags(HttpPoolMeters.CLIENT, "api", HttpPoolMeters.STATUS, HttpPoolMeters.STATUS_IO_ERROR)
				.timer()
				.count()).isOne();
			assertThat(context.getBean(HttpPoolClients.class).get("api").state().requests()).isOne();
		});
	}

	private static void assertOnlyCounted(AssertableApplicationContext context) {
		HttpPoolClient client = context.getBean(HttpPoolClients.class).get("api");
		assertThat(client.guard().attempts().records()).as("a recorder on the guard").isFalse();
		assertThat(client.httpClient().configuration().metricsRecorder()).as("a Reactor Netty metrics recorder")
			.isNull();
		failOnce(context);
		assertThat(client.state().requests()).as("the attempt still counts for the httppools endpoint").isOne();
		context.getBeanProvider(MeterRegistry.class)
			.ifAvailable((registry) -> assertThat(registry.find(HttpPoolMeters.REQUESTS).timers()).isEmpty());
	}

	private static void failOnce(AssertableApplicationContext context) {
		StepVerifier.create(context.getBean("apiWebClient", WebClient.class).get().retrieve().toBodilessEntity())
			.expectError()
			.verify(Duration.ofSeconds(10));
	}

}
