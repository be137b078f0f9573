package io.httppool.concurrency;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import io.httppool.test.Measured;
import io.httppool.Causes;
import io.httppool.HttpPoolConcurrencyLimitException;
import io.httppool.test.Actuator;
import io.httppool.test.Gate;
import io.netty.handler.codec.http.HttpResponseStatus;
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
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * Adaptive concurrency against an upstream that answers in {@value #BASE_MILLIS} ms up to
 * a knee of {@value #KNEE} requests in flight at the server and {@value #STEP_MILLIS} ms
 * slower for every request in flight beyond it (timers, not CPU): the limit settles near
 * the knee, the answered calls keep their unloaded latency, the calls beyond the limit
 * fail at once, and once the upstream recovers the limit grows back. Bounded: about 25
 * seconds of load, numbers printed; measured only with {@code -Dhttp.pool.measured=true}.
 * Without timing: an upstream shedding load with 503 shrinks the limit, a call beyond it
 * is refused with the typed exception, the gauge and the endpoint show the limit, and it
 * grows back once the upstream answers again.
 */
@SpringBootTest(classes = AdaptiveConcurrencyIntegrationTests.App.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive",
				"management.endpoints.web.exposure.include=prometheus,httppools", "http.pool.shutdown-timeout=2s",
				"http.pool.clients.up.protocol=http1", "http.pool.clients.control.protocol=http1",
				"http.pool.clients.up.max-connections=300", "http.pool.clients.up.concurrency.adaptive=true",
				"http.pool.clients.shed.protocol=http1", "http.pool.clients.shed.concurrency.adaptive=true",
				"http.pool.clients.shed.retry.enabled=false", "http.pool.clients.shed.circuit-breaker.enabled=false" })
@DirtiesContext
class AdaptiveConcurrencyIntegrationTests {

	static final int BASE_MILLIS = 100;

	// steep: twice the unloaded latency at 44 in flight, seven times with every caller
	// in flight; 100 ms per request (tried before) made 41 in flight twice the unloaded
	// latency, which leaves a limit no room to find the knee, since it has to cross it
	// to see it
	static final int STEP_MILLIS = 25;

	private static final int KNEE = 40;

	private static final int CALLERS = 64;

	// above it the host delays an unloaded call so much that latencies measure the host
	private static final int MAX_CONTROL_P99_MILLIS = 3 * BASE_MILLIS;

	private static final Duration BACK_OFF = Duration.ofMillis(50);

	private static final AtomicInteger knee = new AtomicInteger(KNEE);

	private static final AtomicInteger inFlight = new AtomicInteger();

	// the requests in flight at the server as each request arrived, while recording
	private static volatile @Nullable Queue<Integer> arrivals;

	private static final TestUpstream upstream = TestUpstream.speaking(HttpProtocol.HTTP11)
		.handler((request, response) -> {
			int concurrent = inFlight.incrementAndGet();
			Queue<Integer> recording = arrivals;
			if (recording != null) {
				recording.add(concurrent);
			}
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

	private static final AtomicReference<HttpResponseStatus> shedding = new AtomicReference<>(
			HttpResponseStatus.SERVICE_UNAVAILABLE);

	private static final Gate gate = new Gate();

	private static final AtomicInteger shedInFlight = new AtomicInteger();

	// answers 503 at once, or holds until the gate opens (then 200), or 200 after 200 ms
	// (long
	// enough that a busy host's own delays do not look like a queue)
	private static final TestUpstream shed = TestUpstream.speaking(HttpProtocol.HTTP11).handler((request, response) -> {
		HttpResponseStatus status = shedding.get();
		if (status == null) {
			shedInFlight.incrementAndGet();
			return Mono.from(gate.handler().apply(request, response))
				.doFinally((signal) -> shedInFlight.decrementAndGet());
		}
		if (status.code() == 503) {
			return response.status(status).send();
		}
		return Mono.delay(Duration.ofMillis(200)).then(response.sendString(Mono.just("ok")).then());
	}).start();

	@LocalServerPort
	private int port;

	@Autowired
	private ApplicationContext context;

	@DynamicPropertySource
	static void upstreams(DynamicPropertyRegistry registry) {
		registry.add("http.pool.clients.up.base-url", upstream::baseUrl);
		registry.add("http.pool.clients.control.base-url", control::baseUrl);
		registry.add("http.pool.clients.shed.base-url", shed::baseUrl);
	}

	@AfterAll
	static void stopUpstream() {
		gate.open();
		upstream.close();
		control.close();
		shed.close();
	}

	@Test
	void theLimitSettlesNearTheKneeKeepsLatencyAndGrowsBackWhenTheUpstreamRecovers() {
		Measured.assumeEnabled("the adaptive limit at the knee");
		WebClient client = this.context.getBean("upWebClient", WebClient.class);
		AdaptiveConcurrencyLimit limit = limit("up");

		WebClient controlClient = this.context.getBean("controlWebClient", WebClient.class);
		run(client, limit, 10, Duration.ofSeconds(1)).block();
		Load unloaded = run(client, limit, 10, Duration.ofSeconds(2)).block();
		double unloadedMedian = unloaded.percentileMillis(50);
		assertThat(unloaded.rejected()).isEmpty();

		Load warmUp = run(client, limit, CALLERS, Duration.ofSeconds(8)).block();
		Duration measured = Duration.ofSeconds(4);
		Queue<Integer> seen = new ConcurrentLinkedQueue<>();
		arrivals = seen;
		Tuple2<Load, Load> both = Mono.zip(run(client, limit, CALLERS, measured), run(controlClient, null, 5, measured))
			.block();
		arrivals = null;
		Load loaded = both.getT1();
		assertRefused(loaded.firstRefusal, "up");
		assertShown("up", limit);
		knee.set(1000);
		Load recovered = run(client, limit, CALLERS, Duration.ofSeconds(6)).block();

		double controlP99 = both.getT2().percentileMillis(99);
		double loadedP99 = loaded.percentileMillis(99);
		int settled = loaded.medianLimit();
		List<Long> atServer = seen.stream().map(Integer::longValue).toList();
		System.out.printf(
				"adaptive concurrency: unloaded median %.1f ms; warm-up limit %d (max %d); under %d callers: limit %d "
						+ "(range %d-%d), in flight at the server p50 %d p99 %d max %d; p50 %.1f ms, p99 %.1f ms "
						+ "(unloaded p99 meanwhile %.1f ms); %d answered, %d refused (p99 %.1f ms, slowest %.1f ms); "
						+ "recovered upstream: limit %d (max %d), p99 %.1f ms, %d refused%n",
				unloadedMedian, warmUp.medianLimit(), warmUp.maxLimit(), CALLERS, settled, loaded.minLimit(),
				loaded.maxLimit(), Load.percentile(atServer, 50), Load.percentile(atServer, 99),
				Load.percentile(atServer, 100), loaded.percentileMillis(50), loadedP99, controlP99,
				loaded.answered().size(), loaded.rejected().size(), loaded.rejectionPercentileMillis(99),
				loaded.rejectionPercentileMillis(100), recovered.medianLimit(), recovered.maxLimit(),
				recovered.percentileMillis(99), recovered.rejected().size());
		assumeThat(controlP99)
			.as("p99 of an unloaded %d ms call on this host: too loaded to measure latencies", BASE_MILLIS)
			.isLessThan(MAX_CONTROL_P99_MILLIS);
		assertThat(settled).as("median limit under load").isBetween(KNEE - 10, KNEE + 15);
		// the host's own delays add to every call: what the upstream's queue may add on
		// top of them is one unloaded latency (so at most 2x the unloaded latency on a
		// quiet host)
		assertThat(loadedP99).as("p99 under load against the p99 of unloaded calls meanwhile")
			.isLessThanOrEqualTo(controlP99 + BASE_MILLIS);
		assertThat(loaded.rejected()).as("calls beyond the limit").isNotEmpty();
		assertThat(loaded.rejectionPercentileMillis(99)).as("p99 of the refusals").isLessThan(unloadedMedian);
		assertThat(recovered.maxLimit()).as("limit after the upstream recovered").isGreaterThanOrEqualTo(KNEE + 12);
	}

	@Test
	void anUpstreamSheddingLoadShrinksTheLimitACallBeyondItIsRefusedAndTheLimitGrowsBackOnceItAnswers() {
		WebClient client = this.context.getBean("shedWebClient", WebClient.class);
		AdaptiveConcurrencyLimit limit = limit("shed");
		int initial = limit.limit();
		assertShown("shed", limit);

		shedding.set(HttpResponseStatus.SERVICE_UNAVAILABLE);
		long start = System.nanoTime();
		callUntil(client, 2 * initial, () -> limit.limit() <= initial - 5);
		int shrunk = limit.limit();
		long shrinking = System.nanoTime() - start;
		assertShown("shed", limit);

		shedding.set(null);
		gate.close();
		List<Mono<Void>> held = new ArrayList<>();
		for (int i = 0; i < shrunk; i++) {
			held.add(client.get().uri("/").retrieve().toBodilessEntity().then().cache());
		}
		held.forEach(Mono::subscribe);
		await().atMost(Duration.ofSeconds(30)).until(() -> shedInFlight.get() == shrunk);
		int sent = shed.requests();
		Throwable refused = catchThrowable(
				() -> client.get().uri("/").retrieve().toBodilessEntity().block(Duration.ofSeconds(30)));
		HttpPoolConcurrencyLimitException typed = Causes.find(refused, HttpPoolConcurrencyLimitException.class);
		assertRefused(typed, "shed");
		assertThat(typed.getLimit()).isEqualTo(shrunk);
		assertThat(shed.requests()).as("requests the upstream saw").isEqualTo(sent);
		gate.open();
		Flux.merge(held).then().block(Duration.ofSeconds(30));

		// growing back on the wire took from 1 s to over a minute on a loaded 2-core host
		// (the same growth on a virtual clock: AdaptiveConcurrencyLimitTests)
		Measured.assumeEnabled("the adaptive limit growing back on the wire");
		shedding.set(HttpResponseStatus.OK);
		start = System.nanoTime();
		callUntil(client, 2 * initial, () -> limit.limit() >= shrunk + 3);
		System.out.printf(
				"adaptive concurrency: 503s shrank the limit from %d to %d in %d ms; answers grew it back "
						+ "to %d in %d ms%n",
				initial, shrunk, shrinking / 1_000_000, limit.limit(), (System.nanoTime() - start) / 1_000_000);
		assertShown("shed", limit);
	}

	private AdaptiveConcurrencyLimit limit(String clientName) {
		AdaptiveConcurrencyLimit limit = this.context.getBean(HttpPoolConcurrencyCustomizer.class)
			.adaptiveLimit(clientName);
		assertThat(limit).isNotNull();
		return limit;
	}

	private static void assertRefused(@Nullable HttpPoolConcurrencyLimitException refusal, String clientName) {
		assertThat(refusal).as("typed refusal").isNotNull();
		assertThat(refusal.getClientName()).isEqualTo(clientName);
		assertThat(refusal.getMessage()).contains("'" + clientName + "'",
				"http.pool.clients." + clientName + ".concurrency.adaptive");
	}

	/**
	 * The limit, with no call in flight, is the gauge of the scrape and the endpoint's.
	 */
	private void assertShown(String clientName, AdaptiveConcurrencyLimit limit) {
		assertThat(limit.inFlight()).as("attempts in flight").isZero();
		int now = limit.limit();
		Actuator actuator = new Actuator(this.port);
		assertThat(actuator.scrape().value("http_pool_concurrency_limit", "client", clientName)).isEqualTo(now);
		Actuator.Response endpoint = actuator.get("/httppools/" + clientName);
		assertThat(endpoint.<Integer>read("$.state.concurrencyLimit")).isEqualTo(now);
		assertThat(endpoint.<Boolean>read("$.settings.concurrency.adaptive")).isTrue();
	}

	/**
	 * Closed-loop callers, each sending its next call when the last one ended, whatever
	 * the outcome, until the condition holds; then every call has ended.
	 */
	private static void callUntil(WebClient client, int callers, BooleanSupplier condition) {
		AtomicBoolean done = new AtomicBoolean();
		Mono<Void> calls = Flux.range(0, callers)
			.flatMap((caller) -> Mono
				.defer(() -> client.get()
					.uri("/")
					.retrieve()
					.toBodilessEntity()
					.then()
					.onErrorResume((ex) -> Mono.delay(Duration.ofMillis(10)).then()))
				.repeat(() -> !done.get()), callers)
			.then()
			.cache();
		calls.subscribe();
		await().atMost(Duration.ofSeconds(60)).until(condition::getAsBoolean);
		done.set(true);
		calls.block(Duration.ofSeconds(30));
	}

	/**
	 * Closed-loop callers, each sending its next call when the last one ended (after
	 * {@link #BACK_OFF} when it was refused, as a caller backing off would).
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
					return Mono.delay(BACK_OFF).then();
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

		double rejectionPercentileMillis(double percentile) {
			return percentile(this.rejected, percentile) / 1e6;
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

		static long percentile(java.util.Collection<Long> values, double percentile) {
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
