package io.httppool;

/**
 * A client already runs {@code bulkhead.max-concurrent-calls} calls, so the request was
 * refused at once without touching the network.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public class HttpPoolBulkheadFullException extends HttpPoolException {

	private final int maxConcurrentCalls;

	/**
	 * Create an exception.
	 * @param clientName the client name
	 * @param maxConcurrentCalls the configured limit
	 */
	public HttpPoolBulkheadFullException(String clientName, int maxConcurrentCalls) {
		super(clientName, "Bulkhead of HTTP pool '" + clientName + "' is full: " + maxConcurrentCalls
				+ " calls are already in flight (bulkhead.max-concurrent-calls)", null);
		this.maxConcurrentCalls = maxConcurrentCalls;
	}

	/**
	 * Return the configured limit of concurrent calls.
	 * @return the limit
	 */
	public int getMaxConcurrentCalls() {
		return this.maxConcurrentCalls;
	}

}
