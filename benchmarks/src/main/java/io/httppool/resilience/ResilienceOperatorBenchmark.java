package io.httppool.resilience;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.ClientResponse;

/**
 * What the {@code WebClient} path's retry and deadline operators allocate for one call
 * whose first attempt succeeds, without a network, a server or other threads:
 * Resilience4j's {@code RetryOperator} (with the {@code onErrorMap} that unwrapped its
 * failures) against the starter's {@link RetriedCall}, and {@code Mono.timeout} on the
 * {@link DeadlineTimer} against the starter's {@link AttemptDeadline}. The attempt is a
 * reusable source that answers after it was subscribed, as a response does, so the
 * deadline is armed and cancelled as on the wire. One thread and no I/O:
 * {@code -prof gc}'s bytes per op are the operators' own and do not move with the
 * machine's load, unlike {@code LayerCostBenchmark}'s. In this package to reach the
 * package-private operators.
 *
 * @author http-pool team
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = { "-Xms256m", "-Xmx256m" })
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
public class ResilienceOperatorBenchmark {

	private static final long REMAINING_NANOS = TimeUnit.SECONDS.toNanos(60);

	private final ClientResponse response = ClientResponse.create(HttpStatus.OK).build();

	private final Attempt attempt = new Attempt();

	private final Caller caller = new Caller();

	private final Retry retry = Retry.of("bench",
			RetryConfig.custom().maxAttempts(3).failAfterMaxAttempts(false).retryOnResult((result) -> false).build());

	private final RetryOperator<ClientResponse> retryOperator = RetryOperator.of(this.retry);

	private @Nullable DeadlineTimer timer;

	// never read on the success path: the policy is only asked when a deadline passes
	@SuppressWarnings("NullAway")
	private final CallState call = new CallState(null, HttpMethod.GET, HttpHeaders.EMPTY);

	@Setup(Level.Trial)
	public void setUp() {
		this.timer = new DeadlineTimer();
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		if (this.timer != null) {
			this.timer.dispose();
		}
	}

	@Benchmark
	public @Nullable ClientResponse retryResilience4jOperator() {
		return run(this.attempt.transform(this.retryOperator).onErrorMap(ResiliencePolicy::unwrap));
	}

	@Benchmark
	public @Nullable ClientResponse retryStarter() {
		return run(RetriedCall.of(this.attempt, this.retry));
	}

	@Benchmark
	public @Nullable ClientResponse deadlineMonoTimeout() {
		DeadlineTimer timer = timer();
		CallState call = this.call;
		return run(this.attempt.timeout(Duration.ofNanos(REMAINING_NANOS), Mono.error(() -> failure(call)), timer));
	}

	@Benchmark
	public @Nullable ClientResponse deadlineStarter() {
		return run(AttemptDeadline.of(this.attempt, this.call, REMAINING_NANOS, timer()));
	}

	private static Throwable failure(CallState call) {
		return new IllegalStateException("deadline of " + call.method);
	}

	private DeadlineTimer timer() {
		DeadlineTimer timer = this.timer;
		if (timer == null) {
			throw new IllegalStateException("not set up");
		}
		return timer;
	}

	private @Nullable ClientResponse run(Mono<ClientResponse> call) {
		this.caller.value = null;
		call.subscribe(this.caller);
		this.attempt.respond(this.response);
		return this.caller.value;
	}

	/**
	 * An attempt that answers when told to, after it was subscribed; reused.
	 */
	private static final class Attempt extends Mono<ClientResponse> implements Subscription {

		private @Nullable CoreSubscriber<? super ClientResponse> subscriber;

		@Override
		public void subscribe(CoreSubscriber<? super ClientResponse> actual) {
			this.subscriber = actual;
			actual.onSubscribe(this);
		}

		void respond(ClientResponse response) {
			CoreSubscriber<? super ClientResponse> subscriber = this.subscriber;
			if (subscriber != null) {
				this.subscriber = null;
				subscriber.onNext(response);
				subscriber.onComplete();
			}
		}

		@Override
		public void request(long n) {
		}

		@Override
		public void cancel() {
		}

	}

	/**
	 * The caller: takes the response; reused.
	 */
	private static final class Caller implements CoreSubscriber<ClientResponse> {

		@Nullable ClientResponse value;

		@Override
		public void onSubscribe(Subscription subscription) {
			subscription.request(Long.MAX_VALUE);
		}

		@Override
		public void onNext(ClientResponse response) {
			this.value = response;
		}

		@Override
		public void onError(Throwable failure) {
			throw new IllegalStateException(failure);
		}

		@Override
		public void onComplete() {
		}

	}

}
