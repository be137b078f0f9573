package io.httppool.concurrency;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.VegasLimit;
import com.netflix.concurrency.limits.limit.WindowedLimit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import io.httppool.Causes;
import io.httppool.HttpPoolClientSettings;
import io.httppool.HttpPoolConcurrencyLimitException;
import io.httppool.HttpPoolTimeoutException;

/**
 * The adaptive limit of calls in flight of one client: a Netflix concurrency-limits
 * {@link SimpleLimiter} driven by a {@link VegasLimit}. Vegas compares the average
 * response time of a window of answers with the lowest one it has seen (the upstream
 * unloaded) and estimates how many requests queue at the upstream: while few do, the
 * limit grows by one per window; when more than a few do, or a request times out or is
 * answered 429 or 503, it shrinks by 5 %. Calls beyond the limit are refused at once with
 * a {@link HttpPoolConcurrencyLimitException}.
 *
 * <p>
 * A slot is held per attempt, from the moment it is sent until its response headers
 * arrive or it fails: that time is the sample the limit learns from. Attempts that end
 * for reasons that say nothing about the upstream's load (cancelled, a local failure)
 * give their slot back without a sample. Built once per client, thread-safe, lock-free.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public final class AdaptiveConcurrencyLimit {

	// Why Vegas, fed the average of each window (docs/concurrency-and-hedging.md has the
	// measured and simulated numbers). An upstream past its knee is slow for the
	// requests beyond it, a minority at first: the average shows them in the next window,
	// a median (tried before) only once half the requests queue, so the limit overshot
	// the knee by 6 to 8. Vegas'
	// baseline is the lowest response time, which load cannot raise; Gradient2's is a
	// long average of the response times themselves, which follows a sustained overload
	// up and lets the limit creep past the knee. AIMD only reacts to drops or a fixed
	// timeout, a latency the user would have to know in advance.
	static final long WINDOW_MILLIS = 100;

	// a window lasts twice the lowest response time and counts only once it holds 10
	// answers, so about 2 x limit of them: capped at 1 s (the library's default), an
	// upstream answering in 5 s would need a limit of 50 before the limit ever moved
	static final long MAX_WINDOW_MILLIS = 60_000;

	static final int WINDOW_SAMPLES = 10;

	// far below 10 in flight a window of two response times seldom holds 10 answers,
	// and the limit would never grow again (simulated: 503s took it to 2, where it
	// stayed; at 5 it stayed too): the latency signal shrinks it no further
	static final int MIN_LIMIT = WINDOW_SAMPLES;

	// Vegas estimates the requests queued at the upstream as limit x (1 - lowest /
	// current response time). Its default bounds (3 and 6 x log10(limit)) are a few
	// requests: the proportional noise of a busy host (10 to 20 % on every response
	// time) looks like a queue above them at a limit of 20 and stalls the growth there.
	// Proportional bounds instead: the limit grows while the average stays within about
	// 30 % of the lowest (a quarter of the limit queued), holds up to about 50 % (a
	// third), and shrinks beyond; no jump by beta when the queue looks empty, which one
	// quiet window would trigger
	static final int MIN_ALPHA = 3;

	static final int ALPHA_DIVISOR = 4;

	static final int BETA_DIVISOR = 3;

	// the limit grows by Vegas' own step, log10(limit) per window (1 below 100): one
	// step per window keeps an overshoot past the knee to a request or two, since the
	// answers of a step come back only one response time later. It shrinks by 5 % (at
	// least 1): Vegas' log10(limit) needs long to come back from an overshoot at a high
	// limit; 10 % (tried before) for every window that a stall of the host itself (a GC
	// pause, a starved event loop) delays holds the limit below the knee on a busy host
	static final double BACKOFF = 0.05;

	private final String clientName;

	private final SimpleLimiter<Object> limiter;

	/**
	 * Create the limit of a client.
	 * @param settings the client's settings, {@code concurrency.*} among them
	 */
	public AdaptiveConcurrencyLimit(HttpPoolClientSettings settings) {
		this(settings.name(), settings.concurrency().initialLimit(), settings.concurrency().maxLimit(),
				System::nanoTime);
	}

	AdaptiveConcurrencyLimit(String clientName, int initialLimit, int maxLimit, LongSupplier nanoClock) {
		this.clientName = clientName;
		this.limiter = SimpleLimiter.newBuilder()
			.named(clientName)
			.nanoClock(nanoClock)
			.limit(WindowedLimit.newBuilder()
				.minWindowTime(WINDOW_MILLIS, TimeUnit.MILLISECONDS)
				.maxWindowTime(MAX_WINDOW_MILLIS, TimeUnit.MILLISECONDS)
				.windowSize(WINDOW_SAMPLES)
				.sampleWindowFactory(() -> AnsweredSampleWindow.EMPTY)
				.build(VegasLimit.newBuilder()
					.initialLimit(initialLimit)
					.maxConcurrency(maxLimit)
					.alphaFunction((limit) -> Math.max(MIN_ALPHA, limit / ALPHA_DIVISOR))
					.betaFunction((limit) -> Math.max(MIN_ALPHA + 1, limit / BETA_DIVISOR))
					.thresholdFunction((limit) -> -1)
					.decreaseFunction(
							(limit) -> Math.max(Math.min(MIN_LIMIT, limit), limit - Math.max(1, limit * BACKOFF)))
					.build()))
			.build();
	}

	/**
	 * Return the name of the client.
	 * @return the client name
	 */
	public String clientName() {
		return this.clientName;
	}

	/**
	 * Return the current limit of calls in flight.
	 * @return the limit
	 */
	public int limit() {
		return this.limiter.getLimit();
	}

	/**
	 * Return the attempts in flight.
	 * @return the attempts holding a slot
	 */
	public int inFlight() {
		return this.limiter.getInflight();
	}

	/**
	 * Take a slot for an attempt.
	 * @return the slot, to be completed with one of its methods
	 * @throws HttpPoolConcurrencyLimitException when the limit is reached
	 */
	Slot acquire() {
		Limiter.Listener listener = this.limiter.acquire(this).orElse(null);
		if (listener == null) {
			throw new HttpPoolConcurrencyLimitException(this.clientName, this.limiter.getLimit());
		}
		return new Slot(listener);
	}

	private static boolean isOverload(HttpPoolTimeoutException.Kind kind) {
		return kind == HttpPoolTimeoutException.Kind.RESPONSE || kind == HttpPoolTimeoutException.Kind.READ
				|| kind == HttpPoolTimeoutException.Kind.WRITE;
	}

	@Override
	public String toString() {
		return "AdaptiveConcurrencyLimit[" + this.clientName + ", limit=" + limit() + "]";
	}

	/**
	 * The slot of one attempt. Only its first completion counts, so that a response
	 * followed by a cancellation releases the slot once.
	 */
	static final class Slot extends AtomicBoolean {

		private static final long serialVersionUID = 1L;

		private final transient Limiter.Listener listener;

		Slot(Limiter.Listener listener) {
			this.listener = listener;
		}

		/**
		 * The attempt was answered: 429 and 503 are the upstream saying it is overloaded,
		 * any other status is a latency sample.
		 * @param status the response status
		 */
		void onResponse(int status) {
			if (compareAndSet(false, true)) {
				if (status == 429 || status == 503) {
					this.listener.onDropped();
				}
				else {
					this.listener.onSuccess();
				}
			}
		}

		/**
		 * The attempt failed: a response, read or write timeout is a sign of overload;
		 * other failures (refused connections, local errors) say nothing about the
		 * upstream's latency.
		 * @param failure the failure
		 */
		void onError(Throwable failure) {
			if (compareAndSet(false, true)) {
				for (Throwable candidate : Causes.of(failure)) {
					if (candidate instanceof HttpPoolTimeoutException timeout && isOverload(timeout.getKind())) {
						this.listener.onDropped();
						return;
					}
				}
				this.listener.onIgnore();
			}
		}

		/**
		 * The attempt ended without an outcome (cancelled): the slot is given back
		 * without a sample.
		 */
		void release() {
			if (compareAndSet(false, true)) {
				this.listener.onIgnore();
			}
		}

	}

}
