package io.httppool.autoconfigure.resilience;

import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowSynchronizationStrategy;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.common.CompositeCustomizer;
import io.github.resilience4j.common.bulkhead.configuration.BulkheadConfigCustomizer;
import io.github.resilience4j.common.bulkhead.configuration.CommonBulkheadConfigurationProperties;
import io.github.resilience4j.common.circuitbreaker.configuration.CircuitBreakerConfigCustomizer;
import io.github.resilience4j.common.circuitbreaker.configuration.CommonCircuitBreakerConfigurationProperties;
import io.github.resilience4j.common.retry.configuration.CommonRetryConfigurationProperties;
import io.github.resilience4j.common.retry.configuration.RetryConfigCustomizer;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.httppool.HttpPoolClientSettings;
import io.httppool.resilience.FailureClassifier;
import io.httppool.resilience.Resilience4jInstances;
import io.httppool.resilience.ResiliencePolicy;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Binder;

/**
 * Builds the {@link ResiliencePolicy} of a client once at startup and registers its
 * Resilience4j instances, named after the client, in Resilience4j's registries (so
 * actuator endpoints and {@code resilience4j_*} meters show them). An instance that
 * Resilience4j already created from {@code resilience4j.*.instances.<client>} is replaced
 * by the one built here.
 *
 * <p>
 * Configuration has one owner, Resilience4j: each instance's config is what
 * Resilience4j's own properties classes and config builder make of
 * {@code resilience4j.<kind>.instances.<client>}, layered over the instance's
 * {@code base-config} (or else {@code configs.default}), layered over the client's
 * {@code http.pool.*} settings ({@link HttpPoolResilienceDefaults}). The layers are bound
 * one over the other onto one {@code InstanceProperties}, as Spring Boot binds a client's
 * keys over {@code http.pool.defaults}: a key set in a higher layer wins, every other key
 * keeps the value from below. {@code *ConfigCustomizer} beans for the client's name apply
 * last, as in Resilience4j.
 */
final class HttpPoolResiliencePolicyFactory implements Function<HttpPoolClientSettings, ResiliencePolicy> {

	private static final String CIRCUIT_BREAKER = "resilience4j.circuitbreaker";

	private static final String RETRY = "resilience4j.retry";

	private static final String BULKHEAD = "resilience4j.bulkhead";

	private final CircuitBreakerRegistry circuitBreakers;

	private final RetryRegistry retries;

	private final BulkheadRegistry bulkheads;

	private final Resilience4jBinding binding;

	private final Customizers customizers;

	private final FailureClassifier classifier;

	HttpPoolResiliencePolicyFactory(CircuitBreakerRegistry circuitBreakers, RetryRegistry retries,
			BulkheadRegistry bulkheads, Binder binder, Customizers customizers, FailureClassifier classifier) {
		this.circuitBreakers = circuitBreakers;
		this.retries = retries;
		this.bulkheads = bulkheads;
		this.binding = new Resilience4jBinding(binder);
		this.customizers = customizers;
		this.classifier = classifier;
	}

	@Override
	public ResiliencePolicy apply(HttpPoolClientSettings settings) {
		return ResiliencePolicy.create(settings, this.classifier, new Instances(settings));
	}

	CircuitBreakerConfig circuitBreakerConfig(HttpPoolClientSettings settings) {
		String name = settings.name();
		CommonCircuitBreakerConfigurationProperties.InstanceProperties properties = this.binding
			.layered(CIRCUIT_BREAKER, name, HttpPoolResilienceDefaults.circuitBreaker(settings));
		properties.setBaseConfig(null);
		CircuitBreakerConfigCustomizer customizer = CircuitBreakerConfigCustomizer.of(name, (builder) -> {
			// Resilience4j 2.4's lock-free window: no lock per recorded call; it has no
			// property, a customizer of the client's name can still choose SYNCHRONIZED
			builder.slidingWindowSynchronizationStrategy(SlidingWindowSynchronizationStrategy.LOCK_FREE);
			this.customizers.circuitBreaker().getCustomizer(name).ifPresent((theirs) -> theirs.customize(builder));
		});
		return new CommonCircuitBreakerConfigurationProperties().createCircuitBreakerConfig(name, properties,
				new CompositeCustomizer<>(List.of(customizer)));
	}

	RetryConfig retryConfig(HttpPoolClientSettings settings) {
		String name = settings.name();
		CommonRetryConfigurationProperties.InstanceProperties properties = this.binding.layered(RETRY, name,
				HttpPoolResilienceDefaults.retry(settings));
		properties.setBaseConfig(null);
		return new CommonRetryConfigurationProperties().createRetryConfig(properties, this.customizers.retry(), name);
	}

	@Nullable BulkheadConfig bulkheadConfig(HttpPoolClientSettings settings) {
		String name = settings.name();
		if (settings.bulkhead().maxConcurrentCalls() == null && !this.binding.hasInstance(BULKHEAD, name)) {
			return null;
		}
		CommonBulkheadConfigurationProperties.InstanceProperties properties = this.binding.layered(BULKHEAD, name,
				HttpPoolResilienceDefaults.bulkhead(settings));
		properties.setBaseConfig(null);
		return new CommonBulkheadConfigurationProperties().createBulkheadConfig(properties, this.customizers.bulkhead(),
				name);
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
	 * The {@code *ConfigCustomizer} beans of Resilience4j's Spring Boot integration.
	 *
	 * @param circuitBreaker circuit breaker customizers by instance name
	 * @param retry retry customizers by instance name
	 * @param bulkhead bulkhead customizers by instance name
	 */
	record Customizers(CompositeCustomizer<CircuitBreakerConfigCustomizer> circuitBreaker,
			CompositeCustomizer<RetryConfigCustomizer> retry, CompositeCustomizer<BulkheadConfigCustomizer> bulkhead) {

		static Customizers none() {
			return new Customizers(new CompositeCustomizer<>(List.of()), new CompositeCustomizer<>(List.of()),
					new CompositeCustomizer<>(List.of()));
		}

	}

	private final class Instances implements Resilience4jInstances {

		private final HttpPoolClientSettings settings;

		Instances(HttpPoolClientSettings settings) {
			this.settings = settings;
		}

		@Override
		public @Nullable CircuitBreaker circuitBreaker(UnaryOperator<CircuitBreakerConfig> rules) {
			if (!this.settings.circuitBreaker().enabled()) {
				return null;
			}
			return register(this.settings.name(), rules.apply(circuitBreakerConfig(this.settings)));
		}

		@Override
		public @Nullable Retry retry(UnaryOperator<RetryConfig> rules) {
			if (!this.settings.retry().enabled()) {
				return null;
			}
			return register(this.settings.name(), rules.apply(retryConfig(this.settings)));
		}

		@Override
		public @Nullable Bulkhead bulkhead() {
			BulkheadConfig config = bulkheadConfig(this.settings);
			return (config != null) ? register(this.settings.name(), config) : null;
		}

	}

}
