package io.httppool.resilience;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.functions.Either;

/**
 * Exponential backoff with jitter: before retry {@code n} (1 for the first) it waits
 * {@code initial x multiplier^(n-1)}, spread at random by {@code jitter} (0.5 gives 50%
 * to 150% of the wait) and capped at {@code max}.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public final class ExponentialBackoff implements IntervalBiFunction<Object> {

	private final double initialMillis;

	private final double multiplier;

	private final double jitter;

	private final long maxMillis;

	/**
	 * Create a backoff.
	 * @param initial wait before the first retry
	 * @param multiplier factor applied after each retry, at least 1
	 * @param jitter random spread from 0 (none) to 1
	 * @param max longest wait
	 */
	public ExponentialBackoff(Duration initial, double multiplier, double jitter, Duration max) {
		this.initialMillis = initial.toMillis();
		this.multiplier = multiplier;
		this.jitter = jitter;
		this.maxMillis = max.toMillis();
	}

	/**
	 * Return the wait before the given retry.
	 * @param retry the retry, 1 for the first
	 * @return the wait in milliseconds
	 */
	public long delayMillis(int retry) {
		double wait = Math.min(this.maxMillis, this.initialMillis * Math.pow(this.multiplier, retry - 1));
		if (this.jitter > 0) {
			double spread = wait * this.jitter;
			wait = wait - spread + ThreadLocalRandom.current().nextDouble() * 2 * spread;
		}
		return Math.min(this.maxMillis, Math.max(0, Math.round(wait)));
	}

	@Override
	public Long apply(Integer retry, Either<Throwable, Object> outcome) {
		return delayMillis(retry);
	}

}
