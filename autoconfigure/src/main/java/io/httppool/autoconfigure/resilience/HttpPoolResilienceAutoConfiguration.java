package io.httppool.autoconfigure.resilience;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.common.CompositeCustomizer;
import io.github.resilience4j.common.bulkhead.configuration.BulkheadConfigCustomizer;
import io.github.resilience4j.common.circuitbreaker.configuration.CircuitBreakerConfigCustomizer;
import io.github.resilience4j.common.circuitbreaker.configuration.CommonCircuitBreakerConfigurationProperties;
import io.github.resilience4j.common.retry.configuration.RetryConfigCustomizer;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import io.httppool.autoconfigure.HttpPoolAutoConfiguration;
import io.httppool.resilience.FailureClassifier;
import io.httppool.resilience.HttpPoolResilienceCustomizer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of per-client resilience: for every named client a Resilience4j
 * {@code Retry} and {@code CircuitBreaker} (and, with
 * {@code bulkhead.max-concurrent-calls}, a {@code Bulkhead}) named after the client, in
 * Resilience4j's registries, applied by a filter on the client's {@code WebClient}, an
 * interceptor on its {@code RestClient}, and both on its HTTP service groups.
 *
 * @author http-pool team
 * @since 0.1.0
 */
@AutoConfiguration(after = HttpPoolAutoConfiguration.class,
		afterName = { "io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration",
				"io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerMetricsAutoConfiguration",
				"io.github.resilience4j.springboot.retry.autoconfigure.RetryAutoConfiguration",
				"io.github.resilience4j.springboot.retry.autoconfigure.RetryMetricsAutoConfiguration",
				"io.github.resilience4j.springboot.bulkhead.autoconfigure.BulkheadAutoConfiguration",
				"io.github.resilience4j.springboot.bulkhead.autoconfigure.BulkheadMetricsAutoConfiguration" })
@ConditionalOnClass({ CircuitBreaker.class, Retry.class, Bulkhead.class,
		CommonCircuitBreakerConfigurationProperties.class })
public final class HttpPoolResilienceAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	FailureClassifier httpPoolFailureClassifier() {
		return FailureClassifier.standard();
	}

	@Bean
	@ConditionalOnMissingBean
	HttpPoolResilienceCustomizer httpPoolResilienceCustomizer(ObjectProvider<CircuitBreakerRegistry> circuitBreakers,
			ObjectProvider<RetryRegistry> retries, ObjectProvider<BulkheadRegistry> bulkheads,
			ObjectProvider<CompositeCustomizer<CircuitBreakerConfigCustomizer>> circuitBreakerCustomizers,
			ObjectProvider<CompositeCustomizer<RetryConfigCustomizer>> retryCustomizers,
			ObjectProvider<CompositeCustomizer<BulkheadConfigCustomizer>> bulkheadCustomizers, Environment environment,
			FailureClassifier classifier) {
		HttpPoolResiliencePolicyFactory.Customizers none = HttpPoolResiliencePolicyFactory.Customizers.none();
		HttpPoolResiliencePolicyFactory.Customizers customizers = new HttpPoolResiliencePolicyFactory.Customizers(
				circuitBreakerCustomizers.getIfUnique(none::circuitBreaker), retryCustomizers.getIfUnique(none::retry),
				bulkheadCustomizers.getIfUnique(none::bulkhead));
		return new HttpPoolResilienceCustomizer(
				new HttpPoolResiliencePolicyFactory(circuitBreakers.getIfAvailable(CircuitBreakerRegistry::ofDefaults),
						retries.getIfAvailable(RetryRegistry::ofDefaults),
						bulkheads.getIfAvailable(BulkheadRegistry::ofDefaults), Binder.get(environment), customizers,
						classifier));
	}

}
