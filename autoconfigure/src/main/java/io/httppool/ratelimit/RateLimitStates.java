package io.httppool.ratelimit;

import org.jspecify.annotations.Nullable;

/**
 * Looks up the rate limiter state of a client, for health and the endpoint.
 * Implementations read local state only and return quickly.
 *
 * @author http-pool team
 * @since 0.1.0
 */
@FunctionalInterface
public interface RateLimitStates {

	/**
	 * Return the rate limiter state of the given client.
	 * @param clientName the client name
	 * @return the state, or {@code null} when the client has no rate limit
	 */
	@Nullable RateLimitState stateOf(String clientName);

}
