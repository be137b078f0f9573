package io.httppool.resilience;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Caps retries at a share of first attempts over a sliding window, so that a failing
 * upstream sees at most {@code 1 + ratio} times its normal traffic instead of
 * {@code max-attempts} times.
 *
 * <p>
 * The window is split into {@value #BUCKETS} buckets. Each bucket is one {@code long}
 * holding the bucket's time slot and its counts of first attempts and retries, updated
 * with a compare-and-set: lock-free, no allocation, and reading the window costs
 * {@value #BUCKETS} volatile reads. A retry is allowed while the retries in the window
 * stay below {@code max(ratio x first attempts, minimum)}; the minimum
 * ({@value #MIN_RETRIES_PER_WINDOW} per window, unless the ratio is 0) lets a client with
 * little traffic still retry a transient failure. Concurrent callers may overshoot by at
 * most the number of callers deciding at the same instant.
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

	private static final int COUNT_BITS = 20;

	private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;

	private static final long SLOT_MASK = (1L << (64 - 2 * COUNT_BITS)) - 1;

	private static final long FIRST = 1L << COUNT_BITS;

	private static final long RETRY = 1L;

	private final double ratio;

	private final int minRetries;

	private final long bucketNanos;

	private final LongSupplier nanoClock;

	private final AtomicLongArray buckets = new AtomicLongArray(BUCKETS);

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
	}

	/**
	 * Record the first attempt of a call.
	 */
	void recordFirstAttempt() {
		add(FIRST);
	}

	/**
	 * Take one retry from the budget if the window allows it.
	 * @return whether the retry may go ahead
	 */
	boolean tryAcquireRetry() {
		long slot = slot();
		long firsts = 0;
		long retries = 0;
		for (int i = 0; i < BUCKETS; i++) {
			long bucket = this.buckets.get(i);
			if (((slot - slotOf(bucket)) & SLOT_MASK) < BUCKETS) {
				firsts += (bucket >>> COUNT_BITS) & COUNT_MASK;
				retries += bucket & COUNT_MASK;
			}
		}
		long allowed = Math.max(this.minRetries, (long) (this.ratio * firsts));
		if (retries >= allowed) {
			return false;
		}
		add(RETRY);
		return true;
	}

	private void add(long delta) {
		long slot = slot();
		int index = (int) (slot % BUCKETS);
		long fresh = slot << (2 * COUNT_BITS);
		while (true) {
			long bucket = this.buckets.get(index);
			long base = (slotOf(bucket) == slot) ? bucket : fresh;
			if (saturated(base, delta)) {
				return;
			}
			if (this.buckets.compareAndSet(index, bucket, base + delta)) {
				return;
			}
		}
	}

	private static boolean saturated(long bucket, long delta) {
		long count = (delta == FIRST) ? (bucket >>> COUNT_BITS) & COUNT_MASK : bucket & COUNT_MASK;
		return count == COUNT_MASK;
	}

	private long slot() {
		return (this.nanoClock.getAsLong() / this.bucketNanos) & SLOT_MASK;
	}

	private static long slotOf(long bucket) {
		return (bucket >>> (2 * COUNT_BITS)) & SLOT_MASK;
	}

}
