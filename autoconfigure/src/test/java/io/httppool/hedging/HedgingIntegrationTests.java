package io.httppool.hedging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import io.httppool.test.Measured;
import io.httppool.autoconfigure.HttpPoolAutoConfiguration;
import io.httppool.autoconfigure.hedging.HttpPoolHedgingAutoConfiguration;
import io.httppool.autoconfigure.resilience.HttpPoolResilienceAutoConfiguration;
import io.httppool.test.PrometheusScrape;
import io.httppool.test.TestUpstream;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpProtocol;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hedged reads against real upstreams, HTTP/1.1 and HTTP/2 side by side: the tail they
 * cut, the attempts they cost (counted at the server), the loser cancelled at the server,
 * and the requests they leave alone.
 */
class HedgingIntegrationTests {

	private static final Duration SLOW = Duration.ofSeconds(2);

	static ApplicationContextRunner runner(String protocol, String baseUrl) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(HttpPoolAutoConfiguration.class,
					HttpPoolResilienceAutoConfiguration.class, HttpPoolHedgingAutoConfiguration.class,
					WebClientAutoConfiguration.class, RestClientAutoConfiguration.class, SslAutoConfiguration.class,
					MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
					PrometheusMetricsExportAutoConfiguration.class))
			.withPropertyValues("http.pool.shutdown-timeout=2s", "http.pool.clients.up.base-url=" + baseUrl,
					"http.pool.clients.up.protocol=" + protocol, "http.pool.clients.up.hedging.enabled=true");
	}

	static HttpProtocol serverProtocol(String protocol) {
		return protocol.equals("h2c") ? HttpProtocol.H2C : HttpProtocol.HTTP11;
	}

	@ParameterizedTest
	@ValueSource(strings = { "http1", "h2c" })
	void hedgingAtTheObservedP95CutsTheTailOfFivePercentSlowRequestsForAtMostTenPercentMoreAttempts(String protocol) {
		Measured.assumeEnabled("the hedged tail (" + protocol + ")");
		AtomicInteger cancelled = new AtomicInteger();
		try (TestUpstream upstream = TestUpstream.speaking(serverProtocol(protocol)).handler((request, response) -> {
			boolean slow = ThreadLocalRandom.current().nextInt(100) < 5;
			Duration delay = slow ? SLOW : Duration.ofMillis(5);
			return Mono.delay(delay)
				.then(response.sendString(Mono.just("ok")).then())
				.doOnCancel(cancelled::incrementAndGet);
		}).start()) {
			runner(protocol, upstream.baseUrl()).run((context) -> {
				WebClient client = context.getBean("upWebClient", WebClient.class);
				calls(client, 300, 10);
				int attemptsBefore = upstream.requests();
				int cancelledBefore = cancelled.get();
				List<Long> latencies = calls(client, 600, 10);
				int attempts = upstream.requests() - attemptsBefore;
				double p99 = percentileMillis(latencies, 99);
				HedgingExchangeFilter filter = context.getBean(HttpPoolHedgingCustomizer.class).filter("up");
				assertThat(filter).isNotNull();
				System.out.printf(
						"hedging (%s, delay = observed p95, now %.1f ms): %d calls, p50 %.1f ms, p99 %.1f ms, "
								+ "max %.1f ms, %d attempts at the server (%.3f per call), %d losers cancelled%n",
						protocol, filter.delayNanos() / 1e6, latencies.size(), percentileMillis(latencies, 50), p99,
						percentileMillis(latencies, 100), attempts, attempts / (double) latencies.size(),
						cancelled.get() - cancelledBefore);
				assertThat(p99).as("p99 of the calls").isLessThan(300);
				assertThat(attempts).as("attempts at the server").isLessThanOrEqualTo((int) (1.1 * latencies.size()));
				assertThat(cancelled.get() - cancelledBefore).as("slow attempts cancelled at the server").isPositive();
			});
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "http1", "h2c" })
	void aGetWithoutAnswerAfterTheDelayIsSentAgainTheFirstAnswerWinsAndTheOtherIsCancelledAtTheServer(String protocol) {
		AtomicInteger cancelled = new AtomicInteger();
		AtomicInteger arrived = new AtomicInteger();
		Queue<String> channels = new ConcurrentLinkedQueue<>();
		try (TestUpstream upstream = TestUpstream.speaking(serverProtocol(protocol)).handler((request, response) -> {
			// the first attempt stalls, the hedge answers at once
			boolean first = arrived.incrementAndGet() == 1;
			return response.withConnection((connection) -> channels.add(connection.channel().id().asShortText()))
				.sendString(Mono.delay(first ? SLOW : Duration.ZERO).thenReturn("ok"))
				.then()
				.doOnCancel(cancelled::incrementAndGet);
		}).start()) {
			runner(protocol, upstream.baseUrl()).withPropertyValues("http.pool.clients.up.hedging.delay=100ms")
				.run((context) -> {
					WebClient client = context.getBean("upWebClient", WebClient.class);
					long start = System.nanoTime();
					String body = client.get().uri("/").retrieve().bodyToMono(String.class).block(SLOW);
					long tookMillis = (System.nanoTime() - start) / 1_000_000;
					assertThat(body).isEqualTo("ok");
					assertThat(tookMillis).isLessThan(SLOW.toMillis());
					assertThat(upstream.requests()).isEqualTo(2);
					await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(cancelled).hasValue(1));
					assertThat(channels).as("connection (HTTP/1.1) or stream (HTTP/2) of each attempt")
						.doesNotHaveDuplicates();
					if (protocol.equals("http1")) {
						// the loser's connection is closed, the winner's kept
						await().atMost(Duration.ofSeconds(5)).until(() -> upstream.openConnections() == 1);
						assertThat(upstream.connectionsAccepted()).isEqualTo(2);
					}
					else {
						// the loser's stream is reset, the connection kept
						assertThat(upstream.connectionsAccepted()).isEqualTo(1);
						assertThat(upstream.openConnections()).isEqualTo(1);
					}
				});
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "http1", "h2c" })
	void aPostIsNeverHedgedNorARestClientCall(String protocol) {
		try (TestUpstream upstream = TestUpstream.speaking(serverProtocol(protocol))
			.handler((request, response) -> response.sendString(Mono.delay(Duration.ofMillis(300)).thenReturn("ok")))
			.start()) {
			runner(protocol, upstream.baseUrl()).withPropertyValues("http.pool.clients.up.hedging.delay=20ms")
				.run((context) -> {
					WebClient client = context.getBean("upWebClient", WebClient.class);
					assertThat(client.post().uri("/").bodyValue("x").retrieve().bodyToMono(String.class).block(SLOW))
						.isEqualTo("ok");
					assertThat(upstream.requests()).isEqualTo(1);
					RestClient restClient = context.getBean("upRestClient", RestClient.class);
					assertThat(restClient.get().uri("/").retrieve().body(String.class)).isEqualTo("ok");
					assertThat(upstream.requests()).isEqualTo(2);
					assertThat(client.get().uri("/").retrieve().bodyToMono(String.class).block(SLOW)).isEqualTo("ok");
					assertThat(upstream.requests()).isEqualTo(4);
				});
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "http1", "h2c" })
	void theRetryBudgetBoundsHedgesSoThatTheyNeverDoubleTheLoad(String protocol) {
		try (TestUpstream upstream = TestUpstream.speaking(serverProtocol(protocol))
			.handler((request, response) -> response.sendString(Mono.delay(Duration.ofMillis(200)).thenReturn("ok")))
			.start()) {
			runner(protocol, upstream.baseUrl())
				.withPropertyValues("http.pool.clients.up.hedging.delay=10ms", "http.pool.clients.up.retry.budget=0.1")
				.run((context) -> {
					WebClient client = context.getBean("upWebClient", WebClient.class);
					int calls = calls(client, 200, 20).size();
					int attempts = upstream.requests();
					PrometheusScrape scrape = scrape(context);
					double sent = scrape.value("http_pool_hedges_total", "client", "up", "outcome", "sent");
					double skipped = scrape.value("http_pool_hedges_total", "client", "up", "outcome", "skipped");
					System.out
						.printf("hedging (%s, every call late): %d calls, %d attempts at the server, %.0f hedges sent, "
								+ "%.0f skipped%n", protocol, calls, attempts, sent, skipped);
					// 10 % of first attempts, at least 10 per window (RetryBudget), and
					// the few callers deciding at the same instant
					assertThat(attempts).isLessThanOrEqualTo(calls + Math.max(10, calls / 10) + 20);
					assertThat(attempts - calls).as("hedges at the server").isLessThanOrEqualTo((int) sent);
					assertThat(skipped).as("hedges the budget refused").isPositive();
					assertThat(sent + skipped).as("hedges due").isLessThanOrEqualTo(calls);
				});
		}
	}

	@RepeatedTest(3)
	void cancelledHttp11HedgesNeverFailACallAndCostAtMostTheirOwnConnection() {
		int calls = 400;
		int concurrency = 20;
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.HTTP11)
			.handler((request, response) -> response.sendString(Mono.delay(Duration.ofMillis(20)).thenReturn("ok")))
			.start()) {
			// nearly every call hedged, and no retry to hide a failed one
			runner("http1", upstream.baseUrl())
				.withPropertyValues("http.pool.clients.up.hedging.delay=5ms", "http.pool.clients.up.retry.budget=1.0",
						"http.pool.clients.up.retry.max-attempts=1")
				.run((context) -> {
					WebClient client = context.getBean("upWebClient", WebClient.class);
					Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
					Flux.range(0, calls)
						.flatMap((i) -> client.get()
							.uri("/")
							.retrieve()
							.bodyToMono(String.class)
							.doOnError(failures::add)
							.onErrorResume((ex) -> Mono.empty()), concurrency)
						.blockLast(Duration.ofMinutes(1));
					int attempts = upstream.requests();
					int accepted = upstream.connectionsAccepted();
					PrometheusScrape scrape = scrape(context);
					double sent = scrape.value("http_pool_hedges_total", "client", "up", "outcome", "sent");
					double won = scrape.value("http_pool_hedges_total", "client", "up", "outcome", "won");
					System.out.printf(
							"hedging (http1, delay 5 ms): %d calls, %d failed, %d attempts, %d connections, "
									+ "%.0f hedges sent, %.0f won%n",
							calls, failures.size(), attempts, accepted, sent, won);
					assertThat(failures).as("failed calls").isEmpty();
					assertThat(attempts).as("attempts at the server").isGreaterThan(calls);
					assertThat(sent).as("hedges sent")
						.isGreaterThanOrEqualTo(attempts - calls)
						.isLessThanOrEqualTo(calls);
					assertThat(won).as("hedges won").isLessThanOrEqualTo(sent);
					// each cancelled loser closes its own connection, no other: at most
					// one
					// connection per hedge on top of the connections two attempts per
					// caller need
					assertThat(accepted).as("connections accepted by the server")
						.isLessThanOrEqualTo((int) (2 * concurrency + sent));
				});
		}
	}

	private static PrometheusScrape scrape(ApplicationContext context) {
		return new PrometheusScrape(context.getBean(PrometheusMeterRegistry.class).scrape());
	}

	private static List<Long> calls(WebClient client, int count, int concurrency) {
		Queue<Long> latencies = new ConcurrentLinkedQueue<>();
		Flux.range(0, count).flatMap((i) -> Mono.defer(() -> {
			long start = System.nanoTime();
			return client.get()
				.uri("/")
				.retrieve()
				.toBodilessEntity()
				.doOnSuccess((entity) -> latencies.add(System.nanoTime() - start));
		}), concurrency).blockLast(Duration.ofMinutes(1));
		return new ArrayList<>(latencies);
	}

	private static double percentileMillis(List<Long> values, double percentile) {
		List<Long> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
		return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))) / 1e6;
	}

}
