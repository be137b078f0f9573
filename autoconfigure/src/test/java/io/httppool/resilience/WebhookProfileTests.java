package io.httppool.resilience;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.httppool.HttpPoolClients;
import io.httppool.test.LeakDetection;
import io.httppool.test.Measured;
import io.httppool.test.TestUpstream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpProtocol;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The webhook profile, time-compressed six times: 1,000 deliveries per minute sustained
 * (here 100 per second for 10 s) plus three bursts of 100 at once, spread over 10
 * receivers of which one answers 503 slowly. The healthy receivers see more than 99.5 %
 * success and their breakers stay closed, the failing receiver's breaker opens and
 * refuses calls, and nothing leaks; on a quiet machine
 * ({@code -Dhttp.pool.measured=true}) the healthy receivers' p95 is below 5 s.
 */
class WebhookProfileTests {

	private static final int RECEIVERS = 10;

	private static final int FAILING = 9;

	private static final int SUSTAINED = 1000;

	private static final int BURST = 100;

	private static final List<Duration> BURSTS = List.of(Duration.ofSeconds(2), Duration.ofSeconds(5),
			Duration.ofSeconds(8));

	@Test
	void healthyReceiversSucceedAndOnlyTheFailingOnesBreakerOpens() {
		profile();
	}

	// a latency on a shared 2-core machine follows the machine's load (p95 above 16 s
	// with the same code at load 14), not the code: measured on a quiet machine only
	@Test
	void healthyReceiversAnswerWithinFiveSecondsAtTheNinetyFifthPercentile() {
		Measured.assumeEnabled("the webhook profile's p95");
		Run run = profile();
		assertThat(run.deliveries().percentile(95)).as(run.report()).isLessThan(5000);
	}

	/**
	 * Run the profile and assert what does not depend on the machine's speed.
	 */
	private static Run profile() {
		List<Run> runs = new ArrayList<>();
		AtomicInteger served = new AtomicInteger();
		try (LeakDetection leaks = LeakDetection.paranoid();
				TestUpstream upstream = TestUpstream.speaking(HttpProtocol.H2C).handler((request, response) -> {
					int receiver = Integer.parseInt(request.path().substring(request.path().lastIndexOf('/') + 1));
					if (receiver == FAILING) {
						return request.receive()
							.then(Mono.delay(Duration.ofMillis(200)))
							.then(response.status(503).send());
					}
					// 5 to 45 ms of work, as a receiver that writes to its database
					long work = 5 + (served.incrementAndGet() * 7L) % 41;
					return request.receive()
						.then(Mono.delay(Duration.ofMillis(work)))
						.then(response.status(204).send());
				}).start()) {
			runner(upstream).run((context) -> {
				Deliveries deliveries = deliver(context);
				CircuitBreakerRegistry breakers = context.getBean(CircuitBreakerRegistry.class);
				CircuitBreaker failing = breakers.circuitBreaker(receiver(FAILING));
				String report = "webhooks: %d deliveries; healthy %d/%d succeeded (%.2f %%), p50 %d ms, p95 %d ms, max %d ms; failing receiver %d/%d succeeded, breaker %s, %d calls refused"
					.formatted(deliveries.total(), deliveries.healthySucceeded(), deliveries.healthy(),
							100.0 * deliveries.healthySucceeded() / deliveries.healthy(), deliveries.percentile(50),
							deliveries.percentile(95), deliveries.percentile(100), deliveries.failingSucceeded(),
							deliveries.failing(), failing.getState(),
							failing.getMetrics().getNumberOfNotPermittedCalls());
				System.out.println(report);
				assertThat((double) deliveries.healthySucceeded() / deliveries.healthy()).as(report)
					.isGreaterThan(0.995);
				assertThat(failing.getMetrics().getNumberOfNotPermittedCalls()).as(report).isPositive();
				for (int i = 0; i < RECEIVERS; i++) {
					if (i != FAILING) {
						// the failing receiver's failures are its own
						CircuitBreaker healthy = breakers.circuitBreaker(receiver(i));
						assertThat(healthy.getState()).as("breaker of %s; %s", receiver(i), report)
							.isEqualTo(CircuitBreaker.State.CLOSED);
						assertThat(healthy.getMetrics().getNumberOfNotPermittedCalls())
							.as("calls refused by the breaker of %s; %s", receiver(i), report)
							.isZero();
					}
					ResilienceTesting.assertNoActiveConnectionsOf(context, receiver(i));
				}
				runs.add(new Run(deliveries, report));
			});
			leaks.assertNoLeak();
		}
		return runs.get(0);
	}

	private static ApplicationContextRunner runner(TestUpstream upstream) {
		ApplicationContextRunner runner = ResilienceTesting.runner(upstream.baseUrl());
		for (int i = 0; i < RECEIVERS; i++) {
			String prefix = "http.pool.clients." + receiver(i) + ".";
			runner = runner.withPropertyValues(prefix + "base-url=" + upstream.baseUrl() + "/hook/" + i,
					prefix + "protocol=h2c");
		}
		return runner;
	}

	private static String receiver(int index) {
		return "hook-" + index;
	}

	private static Deliveries deliver(ApplicationContext context) {
		HttpPoolClients clients = context.getBean(HttpPoolClients.class);
		Deliveries deliveries = new Deliveries();
		Flux<Integer> sustained = Flux.interval(Duration.ofMillis(10))
			.take(SUSTAINED)
			.map(Long::intValue)
			.onBackpressureBuffer();
		Flux<Integer> bursts = Flux.fromIterable(BURSTS)
			.flatMap((at) -> Flux.range(SUSTAINED, BURST).delaySubscription(at));
		Flux.merge(sustained, bursts).flatMap((id) -> {
			int receiver = id % RECEIVERS;
			long start = System.nanoTime();
			return clients.get(receiver(receiver))
				.webClient()
				.post()
				.header("Idempotency-Key", "delivery-" + id)
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue("{\"event\":\"invoice.paid\",\"id\":" + id + "}")
				.retrieve()
				.toBodilessEntity()
				.map((entity) -> true)
				.onErrorResume((ex) -> Mono.just(false))
				.doOnNext((ok) -> deliveries.record(receiver, ok, System.nanoTime() - start));
		}, 512).blockLast(Duration.ofMinutes(2));
		return deliveries;
	}

	private record Run(Deliveries deliveries, String report) {

	}

	private static final class Deliveries {

		private final ConcurrentLinkedQueue<Long> healthyMillis = new ConcurrentLinkedQueue<>();

		private final AtomicInteger healthy = new AtomicInteger();

		private final AtomicInteger healthySucceeded = new AtomicInteger();

		private final AtomicInteger failing = new AtomicInteger();

		private final AtomicInteger failingSucceeded = new AtomicInteger();

		void record(int receiver, boolean ok, long nanos) {
			if (receiver == FAILING) {
				this.failing.incrementAndGet();
				if (ok) {
					this.failingSucceeded.incrementAndGet();
				}
				return;
			}
			this.healthy.incrementAndGet();
			this.healthyMillis.add(Duration.ofNanos(nanos).toMillis());
			if (ok) {
				this.healthySucceeded.incrementAndGet();
			}
		}

		int total() {
			return this.healthy.get() + this.failing.get();
		}

		int healthy() {
			return this.healthy.get();
		}

		int healthySucceeded() {
			return this.healthySucceeded.get();
		}

		int failing() {
			return this.failing.get();
		}

		int failingSucceeded() {
			return this.failingSucceeded.get();
		}

		long percentile(int percent) {
			long[] sorted = new ArrayList<>(this.healthyMillis).stream().mapToLong(Long::longValue).toArray();
			Arrays.sort(sorted);
			int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
			return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
		}

	}

}
