package io.httppool;

/**
 * A request was started after its client began to shut down. Requests already in flight
 * get {@code http.pool.shutdown-timeout} to finish; new ones fail fast with this
 * exception.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public class HttpPoolShutdownException extends HttpPoolException {

	public HttpPoolShutdownException(String clientName) {
		super(clientName, "HTTP pool '" + clientName
				+ "' is shutting down: no new requests are accepted while in-flight ones finish", null);
	}

}
