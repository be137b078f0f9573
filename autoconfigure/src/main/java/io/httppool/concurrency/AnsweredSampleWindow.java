package io.httppool.concurrency;

import com.netflix.concurrency.limits.limit.window.SampleWindow;

/**
 * A window of samples for {@link AdaptiveConcurrencyLimit}: its response time is the
 * average of the answered attempts only. concurrency-limits' own average window also
 * averages the dropped ones, and a 429 or 503 comes back fast: a window of them would
 * become Vegas' no-load response time, after which every normal answer looks queued and
 * the limit stays low until Vegas probes again (after some thirty times the limit
 * windows). A window of drops only still counts (it shrinks the limit) but reports a
 * response time that can never become the no-load one. Immutable, as the
 * {@code WindowedLimit}'s {@code AtomicReference} requires.
 *
 * @param answeredNanos sum of the response times of the answered attempts
 * @param answered number of answered attempts
 * @param samples number of samples, dropped ones included
 * @param minNanos lowest response time, dropped ones included (the window's length)
 * @param maxInFlight highest number of attempts in flight
 * @param dropped whether an attempt was dropped
 */
record AnsweredSampleWindow(long answeredNanos, int answered, int samples, long minNanos, int maxInFlight,
		boolean dropped) implements SampleWindow {

	// above any real response time, and small enough for Vegas' arithmetic
	static final long NO_ANSWER_NANOS = Long.MAX_VALUE / 4;

	static final AnsweredSampleWindow EMPTY = new AnsweredSampleWindow(0, 0, 0, Long.MAX_VALUE, 0, false);

	@Override
	public SampleWindow addSample(long rtt, int inflight, boolean dropped) {
		return new AnsweredSampleWindow(dropped ? this.answeredNanos : this.answeredNanos + rtt,
				dropped ? this.answered : this.answered + 1, this.samples + 1, Math.min(this.minNanos, rtt),
				Math.max(this.maxInFlight, inflight), this.dropped || dropped);
	}

	@Override
	public long getCandidateRttNanos() {
		return this.minNanos;
	}

	@Override
	public long getTrackedRttNanos() {
		return (this.answered > 0) ? this.answeredNanos / this.answered : NO_ANSWER_NANOS;
	}

	@Override
	public int getMaxInFlight() {
		return this.maxInFlight;
	}

	@Override
	public int getSampleCount() {
		return this.samples;
	}

	@Override
	public boolean didDrop() {
		return this.dropped;
	}

}
