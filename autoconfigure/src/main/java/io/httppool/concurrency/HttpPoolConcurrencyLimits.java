package io.httppool.concurrency;

import org.jspecify.annotations.Nullable;

/**
 * Read access to the adaptive concurrency limits of the clients, for meters and the
 * endpoint. Local and cheap; never throws.
 *
 * @author http-pool team
 * @since 0.1.0
 */
@FunctionalInterface
public interface HttpPoolConcurrencyLimits {

	/**
	 * Return the current adaptive limit of calls in flight of a client.
	 * @param clientName the client name
	 * @return the limit, or {@code null} when the client has no adaptive limit
	 */
	@Nullable Integer limit(String clientName);

}
