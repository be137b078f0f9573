package io.httppool.autoconfigure.resilience;

import java.time.Duration;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.github.resilience4j.common.bulkhead.configuration.CommonBulkheadConfigurationProperties;
import io.github.resilience4j.common.circuitbreaker.configuration.CommonCircuitBreakerConfigurationProperties;
import io.github.resilience4j.common.retry.configuration.CommonRetryConfigurationProperties;
import io.httppool.HttpPoolClientSettings;

/**
 * The {@code http.pool.*} settings of a client said in Resilience4j's own vocabulary: the
 * bottom layer of the client's {@code resilience4j.*} instances, under
 * {@code configs.default} (or the instance's {@code base-config}) and the instance's own
 * keys. One direction only: nothing here reads a Resilience4j key.
 */
final class HttpPoolResilienceDefaults {

	/**
	 * Factor applied to the open state's wait after each failed probe.
	 */
	static final double OPEN_DURATION_MULTIPLIER = 2.0;

	/**
	 * Largest randomized-wait factor Resilience4j accepts (it must stay below 1):
	 * {@code retry.jitter=1} spreads the wait from almost 0 to almost twice.
	 */
	static final double MAX_RANDOMIZED_WAIT_FACTOR = 0.999;

	private HttpPoolResilienceDefaults() {
	}

	/**
	 * Return the breaker defaults: {@code consecutive-failures} failures in a row open
	 * the breaker (a count-based window of that size that opens at a 100% failure rate
	 * once full), it stays open {@code initial-open-duration}, then lets
	 * {@code half-open-calls} probes through; each failed probe doubles the wait up to
	 * {@code open-duration}. Resilience4j counts the openings since the breaker last
	 * closed ({@code CircuitBreakerStateMachine}: a closed state reports 0 attempts), so
	 * a breaker that closed starts again from {@code initial-open-duration}. A probe that
	 * never ends frees its slot after the longest time an attempt may take.
	 */
	static CommonCircuitBreakerConfigurationProperties.InstanceProperties circuitBreaker(
			HttpPoolClientSettings settings) {
		HttpPoolClientSettings.CircuitBreaker breaker = settings.circuitBreaker();
		int failures = breaker.consecutiveFailures();
		return new CommonCircuitBreakerConfigurationProperties.InstanceProperties()
			.setSlidingWindowType(SlidingWindowType.COUNT_BASED)
			.setSlidingWindowSize(failures)
			.setMinimumNumberOfCalls(failures)
			.setFailureRateThreshold(100f)
			.setWaitDurationInOpenState(breaker.firstOpenDuration())
			.setEnableExponentialBackoff(true)
			.setExponentialBackoffMultiplier(OPEN_DURATION_MULTIPLIER)
			.setExponentialMaxWaitDurationInOpenState(breaker.openDuration())
			.setPermittedNumberOfCallsInHalfOpenState(breaker.halfOpenCalls())
			.setMaxWaitDurationInHalfOpenState(longestAttempt(settings))
			.setWritableStackTraceEnabled(false);
	}

	/**
	 * Return the retry defaults: {@code max-attempts}, and a wait of
	 * {@code initial-backoff} multiplied by {@code multiplier} after each retry, up to
	 * {@code max-backoff}, spread by {@code jitter}.
	 */
	static CommonRetryConfigurationProperties.InstanceProperties retry(HttpPoolClientSettings settings) {
		HttpPoolClientSettings.Retry retry = settings.retry();
		CommonRetryConfigurationProperties.InstanceProperties properties = new CommonRetryConfigurationProperties.InstanceProperties()
			.setMaxAttempts(retry.maxAttempts())
			.setWaitDuration(retry.initialBackoff())
			.setEnableExponentialBackoff(true)
			.setExponentialBackoffMultiplier(retry.multiplier())
			.setExponentialMaxWaitDuration(retry.maxBackoff());
		if (retry.jitter() > 0) {
			properties.setEnableRandomizedWait(true)
				.setRandomizedWaitFactor(Math.min(retry.jitter(), MAX_RANDOMIZED_WAIT_FACTOR));
		}
		return properties;
	}

	/**
	 * Return the bulkhead defaults: {@code bulkhead.max-concurrent-calls} (Resilience4j's
	 * default when unset), and no wait for a permission.
	 */
	static CommonBulkheadConfigurationProperties.InstanceProperties bulkhead(HttpPoolClientSettings settings) {
		CommonBulkheadConfigurationProperties.InstanceProperties properties = new CommonBulkheadConfigurationProperties.InstanceProperties()
			.setMaxWaitDuration(Duration.ZERO)
			.setWritableStackTraceEnabled(false);
		Integer maxConcurrentCalls = settings.bulkhead().maxConcurrentCalls();
		if (maxConcurrentCalls != null) {
			properties.setMaxConcurrentCalls(maxConcurrentCalls);
		}
		return properties;
	}

	static Duration longestAttempt(HttpPoolClientSettings settings) {
		if (settings.timeout() != null) {
			return settings.timeout();
		}
		HttpPoolClientSettings.Timeouts timeouts = settings.timeouts();
		return settings.pool()
			.pendingAcquireTimeout()
			.plus(timeouts.connectTimeout())
			.plus(timeouts.responseTimeout())
			.multipliedBy(2);
	}

}
