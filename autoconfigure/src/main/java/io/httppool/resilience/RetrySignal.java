package io.httppool.resilience;

import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.RetryConfig;

/**
 * What the filter tells Resilience4j's {@code Retry} about a failed attempt. The filter
 * decides (idempotency, budget, breaker, deadline); the {@code Retry} instance of the
 * client only keeps the books, so that its metrics, events and actuator endpoints show
 * what happened. Its config accepts {@link Planned} signals and takes their delay as is.
 */
abstract sealed class RetrySignal extends RuntimeException permits RetrySignal.Planned, RetrySignal.Stopped {

	RetrySignal(Throwable failure) {
		super(failure.toString(), failure, false, false);
	}

	/**
	 * Return the config that makes a {@code Retry} record these signals.
	 * @param maxAttempts maximum attempts, the first one included
	 * @return the config
	 */
	static RetryConfig bookkeepingConfig(int maxAttempts) {
		IntervalBiFunction<Object> delay = RetrySignal::delayOf;
		return RetryConfig.<Object>custom()
			.maxAttempts(maxAttempts)
			.retryOnException(Planned.class::isInstance)
			.intervalBiFunction(delay)
			.failAfterMaxAttempts(false)
			.writableStackTraceEnabled(false)
			.build();
	}

	private static Long delayOf(Integer attempt, Either<Throwable, Object> outcome) {
		return (outcome.isLeft() && outcome.getLeft() instanceof Planned planned) ? planned.delayMillis : 0L;
	}

	/**
	 * A retry the filter will make after the given delay, or the failure of the last
	 * allowed attempt.
	 */
	static final class Planned extends RetrySignal {

		private final long delayMillis;

		Planned(Throwable failure, long delayMillis) {
			super(failure);
			this.delayMillis = delayMillis;
		}

	}

	/**
	 * A failure the filter does not retry (not retryable, budget spent, breaker open,
	 * deadline too close).
	 */
	static final class Stopped extends RetrySignal {

		Stopped(Throwable failure) {
			super(failure);
		}

	}

}
