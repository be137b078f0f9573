package io.httppool.sample.simulator;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides which requests fail. Faults are spread evenly instead of drawn at random, so a
 * run is reproducible: with a total rate of 0.25 every 4th request fails, and the
 * failures alternate between 429 and 503 in proportion to their rates.
 *
 * @author http-pool team
 */
final class FaultSchedule {

	enum Fault {

		NONE, UNAVAILABLE, THROTTLED

	}

	private final double faultRate;

	private final double unavailableShare;

	private final AtomicLong requests = new AtomicLong();

	private final AtomicLong faults = new AtomicLong();

	FaultSchedule(double errorRate, double throttleRate) {
		this.faultRate = errorRate + throttleRate;
		this.unavailableShare = (this.faultRate > 0) ? errorRate / this.faultRate : 0;
	}

	Fault next() {
		if (!crosses(this.requests.incrementAndGet(), this.faultRate)) {
			return Fault.NONE;
		}
		return crosses(this.faults.incrementAndGet(), this.unavailableShare) ? Fault.UNAVAILABLE : Fault.THROTTLED;
	}

	/** Whether the n-th event is one of the {@code rate} share picked evenly. */
	private static boolean crosses(long n, double rate) {
		return Math.floor(n * rate) > Math.floor((n - 1) * rate);
	}

}
