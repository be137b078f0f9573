package io.httppool.concurrency;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import io.httppool.test.Measured;
import io.httppool.Causes;
import io.httppool.HttpPoolConcurrencyLimitException;
import io.httppool.test.Actuator;
import io.httppool.test.TestUpstream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.function.Tuple2;
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
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Adaptive concurrency against an upstream that answers in {@value #BASE_MILLIS} ms up to
 * a knee of concurrent requests and {@value #STEP_MILLIS} ms slower for every request in
 * flight beyond it: the limit settles near the knee, the answered calls keep their
 * unloaded latency, the calls beyond the limit fail at once, and once the upstream
 * recovers the limit grows back. Bounded: about fourteen seconds of load, numbers
 * printed.
 */
@SpringBootTest(classes = AdaptiveConcurrencyIntegrationTests.App.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive",
				"management.endpoints.web.exposure.include=prometheus,httppools", "http.pool.shutdown-timeout=2s",
				"http.pool.clients.up.protocol=http1", "http.pool.clients.control.protocol=http1",
				"http.pool.clients.up.max-connections=300", "http.pool.clients.up.concurrency.adaptive=true" })
@DirtiesContext
class AdaptiveConcurrencyIntegrationTests {

	static final int BASE_MILLIS = 100;

	static final int STEP_MILLIS = 100;

	private static final int KNEE = 40;

	private static final int CALLERS = 48;

	private static final AtomicInteger knee = new AtomicInteger(KNEE);

	private static final AtomicInteger inFlight = new AtomicInteger();

	private static final TestUpstream upstream = TestUpstream.speaking(HttpProtocol.HTTP11)
		.handler((request, response) -> {
			int concurrent = inFlight.incrementAndGet();
			long delay = BASE_MILLIS + (long) Math.max(0, concurrent - knee.get()) * STEP_MILLIS;
			return Mono.delay(Duration.ofMillis(delay))
				.then(response.sendString(Mono.just("ok")).then())
				.doFinally((signal) -> inFlight.decrementAndGet());
		})
		.start();

	// same latency, no knee: what an unloaded call costs on this host while the test runs
	private static final TestUpstream control = TestUpstream.speaking(HttpProtocol.HTTP11)
		.handler((request, response) -> Mono.delay(Duration.ofMillis(BASE_MILLIS))
			.then(response.sendString(Mono.just("ok")).then()))
		.start();

	@LocalServerPort
	private int port;

	@Autowired
	private ApplicationContext context;

	@DynamicPropertySource
	static void upstreams(DynamicPropertyRegistry registry) {
		registry.add("http.pool.clients.up.base-url", upstream::baseUrl);
		registry.add("http.pool.clients.control.base-url", control::baseUrl);
	}

	@AfterAll
	static void stopUpstream() {
		upstream.close();
		control.close();
	}

	@Test
	void theLimitSettlesNearTheKneeKeepsLatencyAndGrowsBackWhenTheUpstreamRecovers() {
		Measured.assumeEnabled("the adaptive limit at the knee");
		WebClient client = this.context.getBean("upWebClient", WebClient.class);
		AdaptiveConcurrencyLimit limit = this.context.getBean(HttpPoolConcurrencyCustomizer.class).adaptiveLimit("up");
		assertThat(limit).isNotNull();

		WebClient controlClient = this.context.getBean("controlWebClient", WebClient.class);
		run(client, limit, 10, Duration.ofSeconds(1)).block();
		Load unloaded = run(client, limit, 10, Duration.ofSeconds(2)).block();
		double unloadedMedian = unloaded.percentileMillis(50);
		assertThat(unloaded.rejected()).isEmpty();

		Load warmUp = run(client, limit, CALLERS, Duration.ofSeconds(6)).block();
		Duration measured = Duration.ofSeconds(3);
		Tuple2<Load, Load> both = Mono.zip(run(client, limit, CALLERS, measured), run(controlClient, null, 5, measured))
			.block();
		Load loaded = both.getT1();
		double controlP99 = both.getT2().percentileMillis(99);
		double loadedP99 = loaded.percentileMillis(99);
		int settled = loaded.medianLimit();
		System.out.printf(
				"adaptive concurrency: unloaded median %.1f ms; under %d callers: limit %d (range %d-%d), "
						+ "p50 %.1f ms, p99 %.1f ms (unloaded p99 meanwhile %.1f ms), %d answered, %d refused "
						+ "(slowest refusal %.1f ms), warm-up limit %d%n",
				unloadedMedian, CALLERS, settled, loaded.minLimit(), loaded.maxLimit(), loaded.percentileMillis(50),
				loadedP99, controlP99, loaded.answered().size(), loaded.rejected().size(),
				loaded.slowestRejectionMillis(), warmUp.medianLimit());
		assumeThat(controlP99)
			.as("p99 of an unloaded %d ms call on this host: too loaded to measure latencies", BASE_MILLIS)
			.isLessThan(2 * BASE_MILLIS);
		assertThat(settled).as("median limit under load").isBetween(KNEE - 12, KNEE + 10);
		assertThat(loaded.maxLimit()).as("highest limit under load").isBetween(KNEE - 2, KNEE + 15);
		assertThat(loadedP99).as("p99 under load against the p99 of unloaded calls meanwhile")
			.isLessThanOrEqualTo(2 * controlP99);
		assertThat(loaded.rejected()).as("calls beyond the limit").isNotEmpty();
		assertThat(loaded.slowestRejectionMillis()).as("slowest refusal").isLessThan(unloadedMedian);
		HttpPoolConcurrencyLimitException refusal = loaded.firstRefusal;
		assertThat(refusal).isNotNull();
		assertThat(refusal.getClientName()).isEqualTo("up");
		assertThat(refusal.getMessage()).contains("'up'", "http.pool.clients.up.concurrency.adaptive");

		Actuator actuator = new Actuator(this.port);
		int now = limit.limit();
		assertThat(actuator.scrape().value("http_pool_concurrency_limit", "client", "up")).isEqualTo(now);
		assertThat(actuator.get("/httppools/up").<Integer>read("$.state.concurrencyLimit")).isEqualTo(now);
		assertThat(actuator.get("/httppools/up").<Boolean>read("$.settings.concurrency.adaptive")).isTrue();

		knee.set(1000);
		Load recovered = run(client, limit, CALLERS, Duration.ofSeconds(4)).block();
		System.out.printf("adaptive concurrency: recovered upstream: limit %d (max %d), p99 %.1f ms, %d refused%n",
				recovered.medianLimit(), recovered.maxLimit(), recovered.percentileMillis(99),
				recovered.rejected().size());
		assertThat(recovered.maxLimit()).as("limit after the upstream recovered").isGreaterThanOrEqualTo(KNEE + 12);
	}

	/**
	 * Closed-loop callers, each sending its next call when the last one ended (after a
	 * short pause when it was refused, as a caller backing off would).
	 */
	private static Mono<Load> run(WebClient client, @Nullable AdaptiveConcurrencyLimit limit, int callers,
			Duration duration) {
		return Mono.defer(() -> {
			Load load = new Load();
			long end = System.nanoTime() + duration.toNanos();
			Disposable sampler = (limit != null)
					? Flux.interval(Duration.ofMillis(20)).subscribe((tick) -> load.limits.add(limit.limit())) : null;
			return Flux.range(0, callers)
				.flatMap((caller) -> call(client, load).repeat(() -> System.nanoTime() - end < 0), callers)
				.then(Mono.fromSupplier(() -> load))
				.doFinally((signal) -> {
					if (sampler != null) {
						sampler.dispose();
					}
				});
		}).timeout(duration.plusSeconds(30));
	}

	private static Mono<Void> call(WebClient client, Load load) {
		return Mono.defer(() -> {
			long start = System.nanoTime();
			return client.get()
				.uri("/")
				.retrieve()
				.toBodilessEntity()
				.doOnSuccess((entity) -> load.answered.add(System.nanoTime() - start))
				.then()
				.onErrorResume((ex) -> {
					HttpPoolConcurrencyLimitException refusal = Causes.find(ex,
							HttpPoolConcurrencyLimitException.class);
					if (refusal == null) {
						return Mono.error(ex);
					}
					load.refused(refusal, System.nanoTime() - start);
					return Mono.delay(Duration.ofMillis(200)).then();
				});
		});
	}

	static final class Load {

		final Queue<Long> answered = new ConcurrentLinkedQueue<>();

		final Queue<Long> rejected = new ConcurrentLinkedQueue<>();

		final Queue<Integer> limits = new ConcurrentLinkedQueue<>();

		volatile HttpPoolConcurrencyLimitException firstRefusal;

		void refused(HttpPoolConcurrencyLimitException refusal, long nanos) {
			if (this.firstRefusal == null) {
				this.firstRefusal = refusal;
			}
			this.rejected.add(nanos);
		}

		Queue<Long> answered() {
			return this.answered;
		}

		Queue<Long> rejected() {
			return this.rejected;
		}

		double percentileMillis(double percentile) {
			return percentile(this.answered, percentile) / 1e6;
		}

		double slowestRejectionMillis() {
			return this.rejected.stream().mapToLong(Long::longValue).max().orElse(0) / 1e6;
		}

		int medianLimit() {
			return (int) percentile(new ArrayList<>(this.limits.stream().map(Integer::longValue).toList()), 50);
		}

		int minLimit() {
			return this.limits.stream().mapToInt(Integer::intValue).min().orElse(0);
		}

		int maxLimit() {
			return this.limits.stream().mapToInt(Integer::intValue).max().orElse(0);
		}

		private static long percentile(java.util.Collection<Long> values, double percentile) {
			List<Long> sorted = new ArrayList<>(values);
			if (sorted.isEmpty()) {
				return 0;
			}
			Collections.sort(sorted);
			int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
			return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

}
