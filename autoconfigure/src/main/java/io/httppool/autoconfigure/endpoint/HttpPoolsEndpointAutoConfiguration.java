package io.httppool.autoconfigure.endpoint;

import java.util.function.Function;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.httppool.HttpPoolClients;
import io.httppool.autoconfigure.HttpPoolAutoConfiguration;
import io.httppool.concurrency.HttpPoolConcurrencyLimits;
import io.httppool.endpoint.HttpPoolsEndpoint;
import io.httppool.endpoint.HttpPoolsEndpointWebExtension;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the {@code httppools} actuator endpoint. Present with the
 * actuator when the endpoint is available (access allowed and exposed); shows each
 * client's circuit breaker state when Resilience4j is on the classpath.
 *
 * @author http-pool team
 * @since 0.1.0
 */
@AutoConfiguration(after = HttpPoolAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(HttpPoolClients.class)
@ConditionalOnAvailableEndpoint(HttpPoolsEndpoint.class)
public final class HttpPoolsEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(HttpPoolsEndpoint.class)
	@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
	HttpPoolsEndpointWebExtension httpPoolsEndpointWebExtension(HttpPoolsEndpoint endpoint) {
		return new HttpPoolsEndpointWebExtension(endpoint);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(CircuitBreakerRegistry.class)
	static class WithResilience4jConfiguration {

		@Bean
		@ConditionalOnMissingBean
		HttpPoolsEndpoint httpPoolsEndpoint(HttpPoolClients clients,
				ObjectProvider<CircuitBreakerRegistry> circuitBreakerRegistry,
				ObjectProvider<HttpPoolConcurrencyLimits> concurrencyLimits) {
			// Looked up on each read: the registry may be created after this endpoint
			return new HttpPoolsEndpoint(clients, (name) -> {
				CircuitBreakerRegistry registry = circuitBreakerRegistry.getIfAvailable();
				return (registry != null)
						? registry.find(name).map(CircuitBreaker::getState).map(Enum::name).orElse(null) : null;
			}, concurrencyLimits(concurrencyLimits));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass("io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry")
	static class WithoutResilience4jConfiguration {

		@Bean
		@ConditionalOnMissingBean
		HttpPoolsEndpoint httpPoolsEndpoint(HttpPoolClients clients,
				ObjectProvider<HttpPoolConcurrencyLimits> concurrencyLimits) {
			return new HttpPoolsEndpoint(clients, (name) -> null, concurrencyLimits(concurrencyLimits));
		}

	}

	private static Function<String, @Nullable Integer> concurrencyLimits(
			ObjectProvider<HttpPoolConcurrencyLimits> concurrencyLimits) {
		return (name) -> {
			HttpPoolConcurrencyLimits limits = concurrencyLimits.getIfAvailable();
			return (limits != null) ? limits.limit(name) : null;
		};
	}

}
