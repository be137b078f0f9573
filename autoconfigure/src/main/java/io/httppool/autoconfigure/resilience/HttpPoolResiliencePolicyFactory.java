package io.httppool.autoconfigure.resilience;

import java.util.function.Function;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.common.CompositeCustomizer;
import io.github.resilience4j.common.bulkhead.configuration.CommonBulkheadConfigurationProperties;
import io.github.resilience4j.common.circuitbreaker.configuration.CircuitBreakerConfigCustomizer;
import io.github.resilience4j.common.circuitbreaker.configuration.CommonCircuitBreakerConfigurationProperties;
import io.github.resilience4j.common.retry.configuration.CommonRetryConfigurationProperties;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.httppool.HttpPoolClientSettings;
import io.httppool.resilience.FailureClassifier;
import io.httppool.resilience.ResiliencePolicy;
import org.jspecify.annotations.Nullable;

/**
 * Builds the {@link ResiliencePolicy} of a client once at startup and registers its
 * Resilience4j instances, named after the client, in Resilience4j's registries (so
 * actuator endpoints and {@code resilience4j_*} meters show them). An instance that
 * Resilience4j already created from {@code resilience4j.*.instances.<client>} is replaced
 * by one with the merged config.
 */
final class HttpPoolResiliencePolicyFactory implements Function<HttpPoolClientSettings, ResiliencePolicy> {

	private final CircuitBreakerRegistry circuitBreakers;

	private final RetryRegistry retries;

	private final BulkheadRegistry bulkheads;

	private final Resilience4jProperties properties;

	private final FailureClassifier classifier;

	HttpPoolResiliencePolicyFactory(CircuitBreakerRegistry circuitBreakers, RetryRegistry retries,
			BulkheadRegistry bulkheads, Resilience4jProperties properties, FailureClassifier classifier) {
		this.circuitBreakers = circuitBreakers;
		this.retries = retries;
		this.bulkheads = bulkheads;
		this.properties = properties;
		this.classifier = classifier;
	}

	@Override
	public ResiliencePolicy apply(HttpPoolClientSettings settings) {
		String name = settings.name();
		CircuitBreaker breaker = null;
		if (settings.circuitBreaker().enabled()) {
			CircuitBreakerConfig config = CircuitBreakerConfigs.config(settings, this.properties.circuitBreaker(),
					this.properties.circuitBreakerCustomizers());
			breaker = register(name, config);
		}
		RetryConfigs.Rules rules = RetryConfigs.rules(settings, this.properties.retry());
		Retry retry = null;
		if (settings.retry().enabled()) {
			retry = register(name, ResiliencePolicy.bookkeepingConfig(rules.maxAttempts()));
		}
		BulkheadConfig bulkheadConfig = RetryConfigs.bulkhead(settings, this.properties.bulkhead());
		Bulkhead bulkhead = (bulkheadConfig != null) ? register(name, bulkheadConfig) : null;
		return new ResiliencePolicy(settings, breaker, retry, bulkhead, rules.backoff(), rules.predicate(),
				this.classifier);
	}

	private CircuitBreaker register(String name, CircuitBreakerConfig config) {
		if (this.circuitBreakers.find(name).isPresent()) {
			CircuitBreaker breaker = CircuitBreaker.of(name, config, this.circuitBreakers.getTags());
			this.circuitBreakers.replace(name, breaker);
			return breaker;
		}
		return this.circuitBreakers.circuitBreaker(name, config);
	}

	private Retry register(String name, RetryConfig config) {
		if (this.retries.find(name).isPresent()) {
			Retry retry = Retry.of(name, config, this.retries.getTags());
			this.retries.replace(name, retry);
			return retry;
		}
		return this.retries.retry(name, config);
	}

	private Bulkhead register(String name, BulkheadConfig config) {
		if (this.bulkheads.find(name).isPresent()) {
			Bulkhead bulkhead = Bulkhead.of(name, config, this.bulkheads.getTags());
			this.bulkheads.replace(name, bulkhead);
			return bulkhead;
		}
		return this.bulkheads.bulkhead(name, config);
	}

	/**
	 * Resilience4j's Spring Boot properties, when its auto-configuration runs.
	 *
	 * @param circuitBreaker {@code resilience4j.circuitbreaker.*}
	 * @param circuitBreakerCustomizers config customizers by instance name
	 * @param retry {@code resilience4j.retry.*}
	 * @param bulkhead {@code resilience4j.bulkhead.*}
	 */
	record Resilience4jProperties(@Nullable CommonCircuitBreakerConfigurationProperties circuitBreaker,
			@Nullable CompositeCustomizer<CircuitBreakerConfigCustomizer> circuitBreakerCustomizers,
			@Nullable CommonRetryConfigurationProperties retry,
			@Nullable CommonBulkheadConfigurationProperties bulkhead) {

	}

}
