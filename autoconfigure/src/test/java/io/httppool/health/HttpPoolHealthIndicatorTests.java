package io.httppool.health;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.httppool.HttpPoolClient;
import io.httppool.HttpPoolClientSettings;
import io.httppool.HttpPoolClients;
import io.httppool.autoconfigure.HttpPoolAutoConfiguration;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class HttpPoolHealthIndicatorTests {

	private static final HttpPoolClientSettings.Health THRESHOLDS = new HttpPoolClientSettings.Health(0.7, 0.9);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HttpPoolAutoConfiguration.class))
		.withPropertyValues("http.pool.shutdown-timeout=1s");

	@Test
	void whenBelowTheDegradedThresholdThenUp() {
		assertThat(HttpPoolHealthIndicator.status(0.0, THRESHOLDS)).isEqualTo(Status.UP);
		assertThat(HttpPoolHealthIndicator.status(0.69, THRESHOLDS)).isEqualTo(Status.UP);
	}

	@Test
	void whenFromTheDegradedThresholdBelowTheUnhealthyOneThenDegraded() {
		assertThat(HttpPoolHealthIndicator.status(0.7, THRESHOLDS)).isEqualTo(HttpPoolHealthIndicator.DEGRADED);
		assertThat(HttpPoolHealthIndicator.status(0.89, THRESHOLDS)).isEqualTo(HttpPoolHealthIndicator.DEGRADED);
	}

	@Test
	void whenFromTheUnhealthyThresholdThenDown() {
		assertThat(HttpPoolHealthIndicator.status(0.9, THRESHOLDS)).isEqualTo(Status.DOWN);
		assertThat(HttpPoolHealthIndicator.status(1.0, THRESHOLDS)).isEqualTo(Status.DOWN);
	}

	@Test
	void whenReadingTheBreakerFailsThenUnknownInsteadOfAnException() {
		this.runner.withPropertyValues("http.pool.clients.stt.base-url=http://127.0.0.1:9").run((context) -> {
			HttpPoolClient client = context.getBean(HttpPoolClients.class).get("stt");
			HttpPoolHealthIndicator indicator = new HttpPoolHealthIndicator(client, (name) -> {
				throw new IllegalStateException("registry closed");
			});
			Health health = indicator.health();
			assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
			assertThat(health.getDetails()).containsEntry(HttpPoolHealthIndicator.ERROR,
					"java.lang.IllegalStateException: registry closed");
		});
	}

	@Test
	void whenTheUpstreamIsABlackHoleThenHealthAnswersFromLocalStateAndReportsDown() throws Exception {
		// a listening socket that never accepts: connections complete in the kernel's
		// backlog, requests are written, and no byte ever comes back
		try (ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			this.runner
				.withPropertyValues("http.pool.clients.stt.base-url=http://127.0.0.1:" + blackHole.getLocalPort(),
						"http.pool.clients.stt.max-connections=2")
				.run((context) -> {
					HttpPoolClient client = context.getBean(HttpPoolClients.class).get("stt");
					HttpPoolHealthIndicator indicator = new HttpPoolHealthIndicator(client);
					List<Disposable> requests = new ArrayList<>();
					for (int i = 0; i < 3; i++) {
						requests.add(client.webClient()
							.get()
							.uri("/never")
							.retrieve()
							.toBodilessEntity()
							.subscribe(null, (ex) -> {
							}));
					}
					AtomicReference<Health> last = new AtomicReference<>();
					// Awaitility evaluates on its own thread and gives up after atMost: a
					// health call that waited for the network would fail the test
					await().atMost(Duration.ofSeconds(5)).until(() -> {
						last.set(indicator.health());
						return Integer.valueOf(1)
							.equals(last.get().getDetails().get(HttpPoolHealthIndicator.PENDING_ACQUIRES));
					});
					assertThat(last.get().getStatus()).isEqualTo(Status.DOWN);
					assertThat(last.get().getDetails()).containsEntry(HttpPoolHealthIndicator.ACTIVE_CONNECTIONS, 2)
						.containsEntry(HttpPoolHealthIndicator.UTILIZATION, 1.0);
					requests.forEach(Disposable::dispose);
				});
		}
	}

}
