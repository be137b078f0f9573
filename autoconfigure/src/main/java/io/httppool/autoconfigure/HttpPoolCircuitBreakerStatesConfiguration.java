package io.httppool.autoconfigure;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.httppool.health.CircuitBreakerStates;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one {@link CircuitBreakerStates} that the {@code httpPools} health indicators and
 * the {@code httppools} endpoint ask for a client's breaker state, whether or not either
 * of them is switched on.
 *
 * @author http-pool team
 */
@Configuration(proxyBeanMethods = false)
class HttpPoolCircuitBreakerStatesConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(CircuitBreakerRegistry.class)
	static class Resilience4jStates {

		@Bean
		@ConditionalOnMissingBean
		CircuitBreakerStates httpPoolCircuitBreakerStates(ObjectProvider<CircuitBreakerRegistry> registry) {
			return new Resilience4jCircuitBreakerStates(registry);
		}

	}

}
