package io.httppool;

/**
 * A client with {@code rate-limit.enabled} did not get its turn: sending the call would
 * exceed the upstream's quota within the time the call may wait, so it was refused
 * without touching the network. The message names the client, the setting to change and
 * the quota in force.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public class HttpPoolRateLimitedException extends HttpPoolException {

	private final Reason reason;

	/**
	 * Create an exception.
	 * @param clientName the client name
	 * @param reason why the call was refused
	 * @param detail what ran out, with the full key of the setting to change
	 */
	public HttpPoolRateLimitedException(String clientName, Reason reason, String detail) {
		super(clientName, "Rate limit of HTTP pool '" + clientName + "' reached: " + detail, null);
		this.reason = reason;
	}

	/**
	 * Return why the call was refused.
	 * @return the reason
	 */
	public Reason getReason() {
		return this.reason;
	}

	/**
	 * Why a call was refused.
	 */
	public enum Reason {

		/**
		 * The call would have waited longer than {@code rate-limit.max-wait} for its
		 * turn.
		 */
		MAX_WAIT,

		/**
		 * {@code rate-limit.max-queued} calls of this replica already wait for their
		 * turn.
		 */
		QUEUE_FULL,

		/**
		 * The shared bucket in Redis is unreachable and {@code rate-limit.redis-fallback}
		 * is {@code reject}.
		 */
		STORE_UNAVAILABLE

	}

}
