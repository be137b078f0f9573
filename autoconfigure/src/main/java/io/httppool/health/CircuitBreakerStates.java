package io.httppool.health;

import org.jspecify.annotations.Nullable;

/**
 * Looks up the state of the circuit breaker guarding a client: the one lookup behind the
 * {@code httpPools} health details and the {@code httppools} endpoint. Implementations
 * read local state only and return quickly.
 *
 * @author http-pool team
 * @since 0.1.0
 */
@FunctionalInterface
public interface CircuitBreakerStates {

	/**
	 * Return the state of the circuit breaker of the given client, such as
	 * {@code CLOSED}, {@code OPEN} or {@code HALF_OPEN}.
	 * @param clientName the client name (also the breaker's instance name)
	 * @return the state, or {@code null} when the client has no breaker
	 */
	@Nullable String stateOf(String clientName);

}
