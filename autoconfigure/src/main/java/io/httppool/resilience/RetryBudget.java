package io.httppool.resilience;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Caps retries at a share of first attempts over a sliding window, so that a failing
 * upstream sees at most {@code 1 + ratio} times its normal traffic instead of
 * {@code max-attempts} times.
 *
 * <p>
 * The window is split into {@value #BUCKETS} buckets of one time slot each. A bucket
 * counts its first attempts and its retries in {@link LongAdder}s: every call records its
 * first attempt, so that count is striped (each thread mostly adds to its own cell)
 * instead of being one compare-and-set slot that all callers fight over. Reading the
 * window (only when a retry is about to be made) sums the live buckets. A retry is
 * allowed while the retries in the window stay below
 * {@code max(ratio x first attempts, minimum)}; the minimum
 * ({@value #MIN_RETRIES_PER_WINDOW} per window, unless the ratio is 0) lets a client with
 * little traffic still retry a transient failure. Concurrent callers may overshoot by at
 * most the number of callers deciding at the same instant, and a bucket being recycled
 * for a new slot may lose the few counts added while it is reset.
 *
 * @author http-pool team
 * @since 0.1.0
 */
final class RetryBudget {

	/**
	 * Buckets the window is split into.
	 */
	static final int BUCKETS = 10;

	/**
	 * Retries always allowed per window when the ratio is positive.
	 */
	static final int MIN_RETRIES_PER_WINDOW = 10;

	private final double ratio;

	private final int minRetries;

	private final long bucketNanos;

	private final LongSupplier nanoClock;

	private final Bucket[] buckets = new Bucket[BUCKETS];

	/**
	 * Create a budget over a 10 second window.
	 * @param ratio retries allowed per first attempt, 0 for none
	 */
	RetryBudget(double ratio) {
		this(ratio, TimeUnit.SECONDS.toNanos(10), System::nanoTime);
	}

	RetryBudget(double ratio, long windowNanos, LongSupplier nanoClock) {
		this.ratio = ratio;
		this.minRetries = (ratio > 0) ? MIN_RETRIES_PER_WINDOW : 0;
		this.bucketNanos = Math.max(1, windowNanos / BUCKETS);
		this.nanoClock = nanoClock;
		for (int i = 0; i < BUCKETS; i++) {
			this.buckets[i] = new Bucket();
		}
	}

	/**
	 * Record the first attempt of a call.
	 */
	void recordFirstAttempt() {
		current().firsts.increment();
	}

	/**
	 * Take one retry from the budget if the window allows it.
	 * @return whether the retry may go ahead
	 */
	boolean tryAcquireRetry() {
		long slot = slot();
		long firsts = 0;
		long retries = 0;
		for (Bucket bucket : this.buckets) {
			if (slot - bucket.slot < BUCKETS) {
				firsts += bucket.firsts.sum();
				retries += bucket.retries.sum();
			}
		}
		long allowed = Math.max(this.minRetries, (long) (this.ratio * firsts));
		if (retries >= allowed) {
			return false;
		}
		current().retries.increment();
		return true;
	}

	private Bucket current() {
		long slot = slot();
		Bucket bucket = this.buckets[(int) (slot % BUCKETS)];
		long seen = bucket.slot;
		if (seen != slot) {
			synchronized (bucket) {
				// once per bucket and time slot (a second by default), never per call
				if (bucket.slot != slot) {
					bucket.firsts.reset();
					bucket.retries.reset();
					bucket.slot = slot;
				}
			}
		}
		return bucket;
	}

	private long slot() {
		return this.nanoClock.getAsLong() / this.bucketNanos;
	}

	private static final class Bucket {

		// Long.MIN_VALUE / 2: never live, whatever the clock's origin
		volatile long slot = Long.MIN_VALUE / 2;

		final LongAdder firsts = new LongAdder();

		final LongAdder retries = new LongAdder();

	}

}
