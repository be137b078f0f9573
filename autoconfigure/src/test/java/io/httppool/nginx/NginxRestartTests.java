package io.httppool.nginx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration;
import io.github.resilience4j.springboot.retry.autoconfigure.RetryAutoConfiguration;
import io.httppool.HttpPoolClient;
import io.httppool.HttpPoolClients;
import io.httppool.HttpPoolException;
import io.httppool.autoconfigure.resilience.HttpPoolResilienceAutoConfiguration;
import io.httppool.nginx.Nginx.Protocol;
import io.httppool.nginx.Nginx.Signal;
import io.httppool.test.HttpPoolTestContexts;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * nginx stopped by PID (gracefully with {@code SIGQUIT}, fast with {@code SIGTERM}) and
 * started again on the same port about 2 s later, under a steady 50 requests per second
 * from the {@code WebClient} or the {@code RestClient}, with the starter's defaults:
 * during the outage calls fail fast with typed errors, and once nginx is back the callers
 * are served again within 7 s (the breaker's first opening lasts
 * {@code circuit-breaker.initial-open-duration}, 2 s, and a probe that fails during the
 * outage doubles it to 4 s; it used to be one minute).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class NginxRestartTests {

	private static final Logger logger = LoggerFactory.getLogger(NginxRestartTests.class);

	private static final String CLIENT = "nginx";

	private static final Duration TICK = Duration.ofMillis(20);

	private static final Duration OUTAGE = Duration.ofSeconds(2);

	// the breaker waits at most 4 s after a 2 s outage (2 s, doubled after a probe that
	// failed just before nginx was back): 3 s for the probes' calls on a busy machine,
	// below the 8 s of one more doubling
	private static final Duration RECOVERY = Duration.ofSeconds(7);

	// the starter's connect-timeout: no call fails slower than that
	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

	@TempDir
	static Path directory;

	@BeforeAll
	static void nginxInstalled() {
		Nginx.assumeInstalled();
	}

	static Stream<Arguments> restarts() {
		return Stream.of(Arguments.of(Protocol.H2C, Signal.QUIT, Flavour.WEB_CLIENT),
				Arguments.of(Protocol.H2C, Signal.TERM, Flavour.WEB_CLIENT),
				Arguments.of(Protocol.HTTP1, Signal.QUIT, Flavour.WEB_CLIENT),
				Arguments.of(Protocol.HTTP1, Signal.TERM, Flavour.WEB_CLIENT),
				Arguments.of(Protocol.H2C, Signal.QUIT, Flavour.REST_CLIENT),
				Arguments.of(Protocol.H2, Signal.TERM, Flavour.REST_CLIENT));
	}

	@ParameterizedTest(name = "{0}, SIG{1}, {2}")
	@MethodSource("restarts")
	void afterARestartOfTwoSecondsCallsSucceedAgainWithinSevenSeconds(Protocol protocol, Signal signal, Flavour flavour)
			throws Exception {
		Path home = Files.createDirectories(directory.resolve(protocol + "-" + signal + "-" + flavour));
		try (Nginx nginx = Nginx.in(home, protocol).start()) {
			HttpPoolTestContexts.core()
				.withConfiguration(AutoConfigurations.of(HttpPoolResilienceAutoConfiguration.class,
						CircuitBreakerAutoConfiguration.class, RetryAutoConfiguration.class))
				.withPropertyValues("http.pool.shutdown-timeout=2s")
				.withPropertyValues(nginx.clientProperties(CLIENT).toArray(String[]::new))
				.run((context) -> {
					HttpPoolClient client = context.getBean(HttpPoolClients.class).get(CLIENT);
					CircuitBreaker breaker = context.getBean(CircuitBreakerRegistry.class).circuitBreaker(CLIENT);
					ConcurrentLinkedQueue<Long> closings = new ConcurrentLinkedQueue<>();
					breaker.getEventPublisher().onStateTransition((event) -> {
						if (event.getStateTransition().getToState() == CircuitBreaker.State.CLOSED) {
							closings.add(System.nanoTime());
						}
					});
					Load load = new Load(flavour.call(client));
					Disposable running = load.start();
					try {
						await("steady load").atMost(Duration.ofSeconds(10)).until(() -> load.successes() >= 50);
						long pid = nginx.pid();
						long stopped = System.nanoTime();
						nginx.stop(signal);
						// an outage of about 2 s that the callers noticed
						await("outage").atMost(Duration.ofSeconds(10))
							.pollInterval(Duration.ofMillis(10))
							.until(() -> System.nanoTime() - stopped >= OUTAGE.toNanos()
									&& load.failuresAfter(stopped) >= 5);
						nginx.start();
						long restarted = System.nanoTime();
						await("a call started after the restart succeeding").atMost(Duration.ofSeconds(70))
							.pollInterval(Duration.ofMillis(10))
							.until(() -> load.firstSuccessStartedAfter(restarted) != null);
						Call recovered = load.firstSuccessStartedAfter(restarted);
						Duration recovery = Duration.ofNanos(recovered.end() - restarted);
						// the half-open probes succeed, the breaker closes, then every
						// call
						// succeeds
						await("the breaker closing").atMost(Duration.ofSeconds(10))
							.until(() -> closings.stream().anyMatch((nanos) -> nanos > restarted));
						long served = closings.stream().filter((nanos) -> nanos > restarted).min(Long::compare).get();
						Duration closed = Duration.ofNanos(served - restarted);
						await("a second of calls after the recovery").atMost(Duration.ofSeconds(10))
							.until(() -> load.startedAfter(served + Duration.ofSeconds(1).toNanos()) > 0);
						running.dispose();
						List<Call> calls = load.calls();
						List<Call> failures = calls.stream().filter((call) -> call.failure() != null).toList();
						Map<String, Long> failureTypes = failures.stream()
							.collect(Collectors.groupingBy((call) -> NginxLoadTests.describe(call.failure()),
									Collectors.counting()));
						Duration slowestFailure = Duration
							.ofNanos(failures.stream().mapToLong((call) -> call.end() - call.start()).max().orElse(0));
						String numbers = String.format(
								"%s, %s, SIG%s to nginx %d: %d calls, %d failed, slowest failure %d ms, first success %d ms"
										+ " and breaker closed %d ms after the restart, outage %d ms; failures %s",
								protocol, flavour, signal, pid, calls.size(), failures.size(),
								slowestFailure.toMillis(), recovery.toMillis(), closed.toMillis(),
								Duration.ofNanos(restarted - stopped).toMillis(), failureTypes);
						logger.info(numbers);
						System.out.println("NginxRestartTests: " + numbers);
						assertThat(recovery).as("time from restart to the first success").isLessThan(RECOVERY);
						assertThat(closed).as("time from restart to the breaker closing").isLessThan(RECOVERY);
						assertThat(failures).as("failures").isNotEmpty().allSatisfy((call) -> {
							assertThat(call.failure()).isInstanceOfAny(WebClientRequestException.class,
									ResourceAccessException.class, HttpPoolException.class);
							assertThat(Duration.ofNanos(call.end() - call.start())).isLessThan(CONNECT_TIMEOUT);
						});
						assertThat(calls).filteredOn((call) -> call.start() > served)
							.as("calls after the breaker closed")
							.allSatisfy((call) -> assertThat(call.failure()).isNull());
						assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
						load.awaitQuiet();
						await("no active connection").atMost(Duration.ofSeconds(10))
							.until(() -> client.state().activeConnections() == 0
									&& client.state().pendingAcquires() == 0);
					}
					finally {
						running.dispose();
					}
				});
		}
	}

	/**
	 * The two clients of a pool, as the load calls them.
	 */
	enum Flavour {

		WEB_CLIENT {

			@Override
			Function<Long, Mono<String>> call(HttpPoolClient client) {
				WebClient webClient = client.webClient();
				return (tick) -> webClient.get().uri("/load/{tick}", tick).retrieve().bodyToMono(String.class);
			}

		},

		REST_CLIENT {

			@Override
			Function<Long, Mono<String>> call(HttpPoolClient client) {
				RestClient restClient = client.restClient();
				return (tick) -> Mono
					.fromCallable(() -> restClient.get().uri("/load/{tick}", tick).retrieve().body(String.class))
					.subscribeOn(Schedulers.boundedElastic());
			}

		};

		abstract Function<Long, Mono<String>> call(HttpPoolClient client);

	}

	/**
	 * One call of the load.
	 *
	 * @param start when it started ({@link System#nanoTime()})
	 * @param end when it ended
	 * @param failure its failure, or {@code null} when it succeeded
	 */
	record Call(long start, long end, @Nullable Throwable failure) {

	}

	/**
	 * One GET every {@link #TICK}, whatever the previous calls do.
	 */
	static final class Load {

		private final Function<Long, Mono<String>> client;

		private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();

		private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

		Load(Function<Long, Mono<String>> client) {
			this.client = client;
		}

		Disposable start() {
			return Flux.interval(TICK).onBackpressureDrop().flatMap((tick) -> {
				long start = System.nanoTime();
				this.inFlight.incrementAndGet();
				return this.client.apply(tick)
					.map((body) -> new Call(start, System.nanoTime(), null))
					.onErrorResume((ex) -> Mono.just(new Call(start, System.nanoTime(), ex)))
					.doOnNext(this.calls::add)
					.doFinally((signal) -> this.inFlight.decrementAndGet());
			}).subscribe();
		}

		List<Call> calls() {
			return List.copyOf(this.calls);
		}

		long successes() {
			return this.calls.stream().filter((call) -> call.failure() == null).count();
		}

		long failuresAfter(long nanos) {
			return this.calls.stream().filter((call) -> call.failure() != null && call.start() >= nanos).count();
		}

		long startedAfter(long nanos) {
			return this.calls.stream().filter((call) -> call.start() >= nanos).count();
		}

		@Nullable Call firstSuccessStartedAfter(long nanos) {
			return this.calls.stream()
				.filter((call) -> call.failure() == null && call.start() >= nanos)
				.min(java.util.Comparator.comparingLong(Call::end))
				.orElse(null);
		}

		void awaitQuiet() {
			await("load calls ending").atMost(Duration.ofSeconds(10)).until(() -> this.inFlight.get() == 0);
		}

	}

}
