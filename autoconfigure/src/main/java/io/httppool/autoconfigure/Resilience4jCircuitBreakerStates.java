package io.httppool.autoconfigure;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.httppool.health.CircuitBreakerStates;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Reads the state of the breaker registered under a client's name in Resilience4j's
 * {@link CircuitBreakerRegistry}; never creates one.
 *
 * @author http-pool team
 */
class Resilience4jCircuitBreakerStates implements CircuitBreakerStates {

	private final ObjectProvider<CircuitBreakerRegistry> registry;

	Resilience4jCircuitBreakerStates(ObjectProvider<CircuitBreakerRegistry> registry) {
		this.registry = registry;
	}

	@Override
	public @Nullable String stateOf(String clientName) {
		CircuitBreakerRegistry registry = this.registry.getIfAvailable();
		if (registry == null) {
			return null;
		}
		return registry.find(clientName).map(CircuitBreaker::getState).map(Enum::name).orElse(null);
	}

}
