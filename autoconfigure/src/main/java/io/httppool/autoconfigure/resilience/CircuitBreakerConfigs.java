package io.httppool.autoconfigure.resilience;

import java.time.Duration;
import java.util.function.Function;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.github.resilience4j.common.CompositeCustomizer;
import io.github.resilience4j.common.circuitbreaker.configuration.CircuitBreakerConfigCustomizer;
import io.github.resilience4j.common.circuitbreaker.configuration.CommonCircuitBreakerConfigurationProperties;
import io.github.resilience4j.common.circuitbreaker.configuration.CommonCircuitBreakerConfigurationProperties.InstanceProperties;
import io.github.resilience4j.core.IntervalFunction;
import io.httppool.HttpPoolClientSettings;
import org.jspecify.annotations.Nullable;

/**
 * Builds the circuit breaker config of a client: the starter's HTTP-aware defaults, with
 * every key set under {@code resilience4j.circuitbreaker.instances.<client>} (or the
 * {@code base-config} it names) on top, then the {@link CircuitBreakerConfigCustomizer}
 * beans for the client's name.
 */
final class CircuitBreakerConfigs {

	private CircuitBreakerConfigs() {
	}

	/**
	 * Factor applied to the open state's wait after each failed probe.
	 */
	static final double OPEN_DURATION_MULTIPLIER = 2.0;

	/**
	 * Return the starter's defaults: {@code consecutive-failures} failures in a row open
	 * the breaker (a count-based window of that size that opens at a 100% failure rate
	 * once full), it stays open {@code initial-open-duration}, then lets
	 * {@code half-open-calls} probes through; each failed probe doubles the wait up to
	 * {@code open-duration}. Resilience4j counts the openings since the breaker last
	 * closed ({@code CircuitBreakerStateMachine}: a closed state reports 0 attempts), so
	 * a breaker that closed starts again from {@code initial-open-duration}. A probe that
	 * never ends frees its slot after the longest time an attempt may take.
	 */
	static CircuitBreakerConfig defaults(HttpPoolClientSettings settings) {
		HttpPoolClientSettings.CircuitBreaker breaker = settings.circuitBreaker();
		int failures = breaker.consecutiveFailures();
		return CircuitBreakerConfig.custom()
			.slidingWindow(failures, failures, SlidingWindowType.COUNT_BASED)
			.failureRateThreshold(100)
			.waitIntervalFunctionInOpenState(IntervalFunction.ofExponentialBackoff(breaker.firstOpenDuration(),
					OPEN_DURATION_MULTIPLIER, breaker.openDuration()))
			.permittedNumberOfCallsInHalfOpenState(breaker.halfOpenCalls())
			.maxWaitDurationInHalfOpenState(longestAttempt(settings))
			.writableStackTraceEnabled(false)
			.build();
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

	static CircuitBreakerConfig config(HttpPoolClientSettings settings,
			@Nullable CommonCircuitBreakerConfigurationProperties properties,
			@Nullable CompositeCustomizer<CircuitBreakerConfigCustomizer> customizers) {
		String name = settings.name();
		CircuitBreakerConfig ours = defaults(settings);
		CircuitBreakerConfig.Builder builder = CircuitBreakerConfig.from(ours);
		InstanceProperties instance = (properties != null) ? properties.getInstances().get(name) : null;
		if (properties != null && instance != null) {
			InstanceProperties base = (instance.getBaseConfig() != null)
					? properties.getConfigs().get(instance.getBaseConfig()) : null;
			CircuitBreakerConfig theirs = properties.createCircuitBreakerConfig(name, instance,
					(customizers != null) ? customizers : new CompositeCustomizer<>(java.util.List.of()));
			Keys keys = new Keys(instance, base);
			if (keys.isSet(InstanceProperties::getWaitDurationInOpenState)) {
				builder.waitIntervalFunctionInOpenState(theirs.getWaitIntervalFunctionInOpenState());
			}
			if (keys.isSet(InstanceProperties::getFailureRateThreshold)) {
				builder.failureRateThreshold(theirs.getFailureRateThreshold());
			}
			if (keys.isSet(InstanceProperties::getSlowCallRateThreshold)) {
				builder.slowCallRateThreshold(theirs.getSlowCallRateThreshold());
			}
			if (keys.isSet(InstanceProperties::getSlowCallDurationThreshold)) {
				builder.slowCallDurationThreshold(theirs.getSlowCallDurationThreshold());
			}
			if (keys.isSet(InstanceProperties::getMaxWaitDurationInHalfOpenState)) {
				builder.maxWaitDurationInHalfOpenState(theirs.getMaxWaitDurationInHalfOpenState());
			}
			if (keys.isSet(InstanceProperties::getTransitionToStateAfterWaitDuration)) {
				builder.transitionToStateAfterWaitDuration(theirs.getTransitionToStateAfterWaitDuration());
			}
			if (keys.isSet(InstanceProperties::getPermittedNumberOfCallsInHalfOpenState)) {
				builder.permittedNumberOfCallsInHalfOpenState(theirs.getPermittedNumberOfCallsInHalfOpenState());
			}
			if (keys.isSet(InstanceProperties::getAutomaticTransitionFromOpenToHalfOpenEnabled)) {
				builder.automaticTransitionFromOpenToHalfOpenEnabled(
						theirs.isAutomaticTransitionFromOpenToHalfOpenEnabled());
			}
			if (keys.isSet(InstanceProperties::getWritableStackTraceEnabled)) {
				builder.writableStackTraceEnabled(theirs.isWritableStackTraceEnabled());
			}
			if (keys.isSet(InstanceProperties::getInitialState)) {
				builder.initialState(theirs.getInitialState());
			}
			builder.slidingWindow(
					keys.isSet(InstanceProperties::getSlidingWindowSize) ? theirs.getSlidingWindowSize()
							: ours.getSlidingWindowSize(),
					keys.isSet(InstanceProperties::getMinimumNumberOfCalls) ? theirs.getMinimumNumberOfCalls()
							: ours.getMinimumNumberOfCalls(),
					keys.isSet(InstanceProperties::getSlidingWindowType) ? theirs.getSlidingWindowType()
							: ours.getSlidingWindowType());
			if (keys.isSet(InstanceProperties::getRecordExceptions)
					|| keys.isSet(InstanceProperties::getRecordFailurePredicate)) {
				builder.recordException(theirs.getRecordExceptionPredicate());
			}
			if (keys.isSet(InstanceProperties::getIgnoreExceptions)
					|| keys.isSet(InstanceProperties::getIgnoreExceptionPredicate)) {
				builder.ignoreException(theirs.getIgnoreExceptionPredicate());
			}
		}
		if (customizers != null) {
			customizers.getCustomizer(name).ifPresent((customizer) -> customizer.customize(builder));
		}
		return builder.build();
	}

	/**
	 * Which keys the application set for the instance, directly or through its base
	 * config.
	 */
	private record Keys(InstanceProperties instance, @Nullable InstanceProperties base) {

		boolean isSet(Function<InstanceProperties, ?> key) {
			return key.apply(this.instance) != null || (this.base != null && key.apply(this.base) != null);
		}

	}

}
