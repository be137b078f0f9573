package io.httppool;

/**
 * A client with {@code concurrency.adaptive=true} already has as many calls in flight as
 * its current adaptive limit allows, so the request was refused at once without touching
 * the network. The limit follows the upstream's latency: it shrinks when the upstream
 * starts to queue requests and grows back when it recovers. The failure is not retried.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public class HttpPoolConcurrencyLimitException extends HttpPoolException {

	private final int limit;

	/**
	 * Create an exception.
	 * @param clientName the client name
	 * @param limit the limit at the time of the refusal
	 */
	public HttpPoolConcurrencyLimitException(String clientName, int limit) {
		super(clientName, "HTTP pool '" + clientName + "' refused the call: " + limit
				+ " calls are already in flight, the adaptive limit its upstream's latency allows now (http.pool.clients."
				+ clientName + ".concurrency.adaptive; the limit stays within concurrency.max-limit)", null);
		this.limit = limit;
	}

	/**
	 * Return this exception without a stack trace: refusals come in bursts exactly when
	 * the client is overloaded, and the message says all there is to know.
	 * @return this exception
	 */
	@Override
	public synchronized Throwable fillInStackTrace() {
		return this;
	}

	/**
	 * Return the adaptive limit at the time of the refusal.
	 * @return the limit of calls in flight
	 */
	public int getLimit() {
		return this.limit;
	}

}
