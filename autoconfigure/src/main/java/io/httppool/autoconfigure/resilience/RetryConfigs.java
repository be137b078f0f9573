package io.httppool.autoconfigure.resilience;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.common.CompositeCustomizer;
import io.github.resilience4j.common.bulkhead.configuration.CommonBulkheadConfigurationProperties;
import io.github.resilience4j.common.retry.configuration.CommonRetryConfigurationProperties;
import io.github.resilience4j.common.retry.configuration.CommonRetryConfigurationProperties.InstanceProperties;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.retry.RetryConfig;
import io.httppool.HttpPoolClientSettings;
import io.httppool.resilience.ExponentialBackoff;
import org.jspecify.annotations.Nullable;

/**
 * Reads the retry and bulkhead settings of a client: the starter's keys, with the keys
 * set under {@code resilience4j.retry.instances.<client>} and
 * {@code resilience4j.bulkhead.instances.<client>} (or their {@code base-config}) on top.
 */
final class RetryConfigs {

	private static final Predicate<Throwable> ANY_FAILURE = (failure) -> true;

	private RetryConfigs() {
	}

	/**
	 * Effective retry rules of a client.
	 *
	 * @param maxAttempts maximum attempts, the first one included
	 * @param backoff wait before each retry
	 * @param predicate failures that may be retried on top of the idempotency rule
	 */
	record Rules(int maxAttempts, IntervalBiFunction<Object> backoff, Predicate<Throwable> predicate) {

	}

	static Rules rules(HttpPoolClientSettings settings, @Nullable CommonRetryConfigurationProperties properties) {
		HttpPoolClientSettings.Retry retry = settings.retry();
		int maxAttempts = retry.maxAttempts();
		IntervalBiFunction<Object> backoff = new ExponentialBackoff(retry.initialBackoff(), retry.multiplier(),
				retry.jitter(), retry.maxBackoff());
		Predicate<Throwable> predicate = ANY_FAILURE;
		InstanceProperties instance = (properties != null) ? properties.getInstances().get(settings.name()) : null;
		if (properties != null && instance != null) {
			InstanceProperties base = (instance.getBaseConfig() != null)
					? properties.getConfigs().get(instance.getBaseConfig()) : null;
			Keys keys = new Keys(instance, base);
			RetryConfig theirs = properties.createRetryConfig(copy(instance), new CompositeCustomizer<>(List.of()),
					settings.name());
			if (keys.isSet(InstanceProperties::getMaxAttempts)) {
				maxAttempts = theirs.getMaxAttempts();
			}
			if (keys.isSet(InstanceProperties::getWaitDuration) || keys.isSet(InstanceProperties::getIntervalBiFunction)
					|| keys.isSet(InstanceProperties::getEnableExponentialBackoff)
					|| keys.isSet(InstanceProperties::getEnableRandomizedWait)) {
				backoff = theirs.getIntervalBiFunction();
			}
			if (keys.isSet(InstanceProperties::getRetryExceptions)
					|| keys.isSet(InstanceProperties::getIgnoreExceptions)
					|| keys.isSet(InstanceProperties::getRetryExceptionPredicate)) {
				predicate = theirs.getExceptionPredicate();
			}
		}
		return new Rules(maxAttempts, backoff, predicate);
	}

	// createRetryConfig merges base and default configs into the instance it is given
	private static InstanceProperties copy(InstanceProperties instance) {
		InstanceProperties copy = new InstanceProperties();
		copyIfSet(instance.getWaitDuration(), copy::setWaitDuration);
		copyIfSet(instance.getMaxAttempts(), copy::setMaxAttempts);
		copyIfSet(instance.getIntervalBiFunction(), copy::setIntervalBiFunction);
		copyIfSet(instance.getRetryExceptionPredicate(), copy::setRetryExceptionPredicate);
		copyIfSet(instance.getRetryExceptions(), copy::setRetryExceptions);
		copyIfSet(instance.getIgnoreExceptions(), copy::setIgnoreExceptions);
		copyIfSet(instance.getEnableExponentialBackoff(), copy::setEnableExponentialBackoff);
		copyIfSet(instance.getExponentialBackoffMultiplier(), copy::setExponentialBackoffMultiplier);
		copyIfSet(instance.getExponentialMaxWaitDuration(), copy::setExponentialMaxWaitDuration);
		copyIfSet(instance.getEnableRandomizedWait(), copy::setEnableRandomizedWait);
		copyIfSet(instance.getRandomizedWaitFactor(), copy::setRandomizedWaitFactor);
		copyIfSet(instance.getBaseConfig(), copy::setBaseConfig);
		return copy;
	}

	private static <T> void copyIfSet(@Nullable T value, java.util.function.Consumer<T> setter) {
		if (value != null) {
			setter.accept(value);
		}
	}

	/**
	 * Return the bulkhead config of a client: {@code bulkhead.max-concurrent-calls}, or
	 * the instance's {@code max-concurrent-calls} when set. Calls never wait for a
	 * permission (the filter may run on an event loop): {@code max-wait-duration} is
	 * always 0.
	 */
	static @Nullable BulkheadConfig bulkhead(HttpPoolClientSettings settings,
			@Nullable CommonBulkheadConfigurationProperties properties) {
		Integer maxConcurrentCalls = settings.bulkhead().maxConcurrentCalls();
		if (maxConcurrentCalls == null) {
			return null;
		}
		CommonBulkheadConfigurationProperties.InstanceProperties instance = (properties != null)
				? properties.getInstances().get(settings.name()) : null;
		if (instance != null && instance.getMaxConcurrentCalls() != null) {
			maxConcurrentCalls = instance.getMaxConcurrentCalls();
		}
		return BulkheadConfig.custom()
			.maxConcurrentCalls(maxConcurrentCalls)
			.maxWaitDuration(Duration.ZERO)
			.writableStackTraceEnabled(false)
			.build();
	}

	private record Keys(InstanceProperties instance, @Nullable InstanceProperties base) {

		boolean isSet(Function<InstanceProperties, ?> key) {
			return key.apply(this.instance) != null || (this.base != null && key.apply(this.base) != null);
		}

	}

}
