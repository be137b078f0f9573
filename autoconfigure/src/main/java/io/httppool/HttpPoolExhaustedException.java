package io.httppool;

import org.jspecify.annotations.Nullable;

/**
 * A request could not get a connection (HTTP/1.1) or a stream (HTTP/2) from its client's
 * pool: the pending queue was full, or the request waited longer than
 * {@code pending-acquire-timeout}. The request never reached the network, so it is safe
 * to retry whatever its method.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public class HttpPoolExhaustedException extends HttpPoolException {

	private final boolean queueFull;

	public HttpPoolExhaustedException(String clientName, boolean queueFull, String detail, @Nullable Throwable cause) {
		super(clientName, "HTTP pool '" + clientName + "' is exhausted: " + detail, cause);
		this.queueFull = queueFull;
	}

	/**
	 * Whether the request was refused at once because the pending queue was full (as
	 * opposed to waiting for {@code pending-acquire-timeout}).
	 * @return whether the pending queue was full
	 */
	public boolean isQueueFull() {
		return this.queueFull;
	}

}
