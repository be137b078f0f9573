package io.httppool.autoconfigure.endpoint;

import java.util.function.Function;

import io.httppool.HttpPoolClients;
import io.httppool.autoconfigure.HttpPoolAutoConfiguration;
import io.httppool.autoconfigure.HttpPoolResizer;
import io.httppool.autoconfigure.resize.HttpPoolResizeAutoConfiguration;
import io.httppool.concurrency.HttpPoolConcurrencyLimits;
import io.httppool.endpoint.HttpPoolsEndpoint;
import io.httppool.endpoint.HttpPoolsEndpointWebExtension;
import io.httppool.health.CircuitBreakerStates;
import io.httppool.endpoint.ResizeArguments;
import io.httppool.ratelimit.RateLimitStates;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code httppools} actuator endpoint. Present with the
 * actuator when the endpoint is available (access allowed and exposed); shows each
 * client's circuit breaker state as the {@link CircuitBreakerStates} bean reports it, as
 * the health indicators do.
 *
 * @author http-pool team
 * @since 0.1.0
 */
@AutoConfiguration(after = { HttpPoolAutoConfiguration.class, HttpPoolResizeAutoConfiguration.class })
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(HttpPoolClients.class)
@ConditionalOnAvailableEndpoint(HttpPoolsEndpoint.class)
public final class HttpPoolsEndpointAutoConfiguration {

	// before the web extension, whose condition looks for it
	@Bean
	@ConditionalOnMissingBean
	HttpPoolsEndpoint httpPoolsEndpoint(HttpPoolClients clients, ObjectProvider<CircuitBreakerStates> breakers,
			ObjectProvider<RateLimitStates> rateLimitStates,
			ObjectProvider<HttpPoolConcurrencyLimits> concurrencyLimits) {
		return new HttpPoolsEndpoint(clients, breakers.getIfAvailable(() -> (name) -> null),
				rateLimitStates.getIfAvailable(), concurrencyLimits(concurrencyLimits));
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(HttpPoolsEndpoint.class)
	@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
	HttpPoolsEndpointWebExtension httpPoolsEndpointWebExtension(HttpPoolsEndpoint endpoint,
			ObjectProvider<HttpPoolResizer> resizer) {
		return new HttpPoolsEndpointWebExtension(endpoint, resizer.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint(endpoint = HttpPoolsEndpoint.class, exposure = EndpointExposure.WEB)
	ResizeArguments httpPoolsResizeArguments() {
		return new ResizeArguments();
	}

	private static Function<String, @Nullable Integer> concurrencyLimits(
			ObjectProvider<HttpPoolConcurrencyLimits> concurrencyLimits) {
		return (name) -> {
			HttpPoolConcurrencyLimits limits = concurrencyLimits.getIfAvailable();
			return (limits != null) ? limits.limit(name) : null;
		};
	}

}
