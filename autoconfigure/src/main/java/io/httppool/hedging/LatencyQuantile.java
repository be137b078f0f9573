package io.httppool.hedging;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A quantile of one client's recent response times, cheap enough to feed on every
 * attempt: each sample is one lock-free write into an HdrHistogram {@link Recorder}. Once
 * a second (on the first read after it) the recorder's interval is swapped out and the
 * quantile is computed over the last {@value #INTERVALS} intervals, so old samples fall
 * out and the value follows the upstream; reads in between return the value computed
 * last. Until {@value #MIN_SAMPLES} samples fall in that window there is no value
 * ({@code -1}).
 */
final class LatencyQuantile {

	static final int INTERVALS = 5;

	static final long MIN_SAMPLES = 20;

	private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

	private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(10);

	private final double percentile;

	private final Recorder recorder = new Recorder(HIGHEST_MICROS, 2);

	private final Histogram[] intervals = new Histogram[INTERVALS];

	private final Histogram window = new Histogram(HIGHEST_MICROS, 2);

	private final AtomicBoolean rotating = new AtomicBoolean();

	private int next;

	private volatile long nextRotationNanos;

	private volatile long valueNanos = -1;

	/**
	 * Create a quantile.
	 * @param percentile the percentile, for example 95.0
	 */
	LatencyQuantile(double percentile) {
		this.percentile = percentile;
		this.nextRotationNanos = System.nanoTime() + INTERVAL_NANOS;
	}

	/**
	 * Record a response time.
	 * @param nanos the time in nanoseconds
	 */
	void record(long nanos) {
		this.recorder.recordValue(Math.max(0, Math.min(HIGHEST_MICROS, TimeUnit.NANOSECONDS.toMicros(nanos))));
	}

	/**
	 * Return the quantile over the recent window.
	 * @return the value in nanoseconds, or -1 while the window holds too few samples
	 */
	long valueNanos() {
		long now = System.nanoTime();
		if (now - this.nextRotationNanos >= 0 && this.rotating.compareAndSet(false, true)) {
			try {
				rotate(now);
			}
			finally {
				this.rotating.set(false);
			}
		}
		return this.valueNanos;
	}

	// one thread at a time (the rotating flag)
	private void rotate(long now) {
		this.intervals[this.next] = this.recorder.getIntervalHistogram(this.intervals[this.next]);
		this.next = (this.next + 1) % INTERVALS;
		this.window.reset();
		for (Histogram interval : this.intervals) {
			if (interval != null) {
				this.window.add(interval);
			}
		}
		this.valueNanos = (this.window.getTotalCount() >= MIN_SAMPLES)
				? TimeUnit.MICROSECONDS.toNanos(this.window.getValueAtPercentile(this.percentile)) : -1;
		this.nextRotationNanos = now + INTERVAL_NANOS;
	}

}
