package io.httppool;

/**
 * The HTTP/2 connection that carried a request closed before the request's stream
 * completed, and no GOAWAY told which streams the server had not processed (a socket
 * closed or reset by the upstream, a proxy or a load balancer). Every stream in flight on
 * that connection fails at once with this exception. The request may have been processed:
 * only idempotent requests are sent again, and only when the response had not started.
 * The circuit breaker counts the lost connection once, not once per stream: exactly one
 * of the unanswered streams of a lost connection {@linkplain #isReportingStream() reports
 * the loss}.
 *
 * <p>
 * It reaches the caller as the cause of an {@link java.io.IOException} with the same
 * message, like {@link HttpPoolStreamNotProcessedException}: Spring wraps it in a
 * {@code WebClientRequestException} or a {@code ResourceAccessException} (or, when the
 * response had started, fails the body). Look for this type in the cause chain.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public class HttpPoolConnectionLostException extends HttpPoolException {

	private final String connectionId;

	private final int streamId;

	private final boolean responseStarted;

	private final boolean reportingStream;

	/**
	 * Create an exception.
	 * @param clientName the client name
	 * @param connectionId the id of the lost connection (Netty's short channel id)
	 * @param streamId the id of the stream that carried the request
	 * @param responseStarted whether the response headers had arrived
	 * @param reportingStream whether this stream reports the loss of its connection
	 */
	public HttpPoolConnectionLostException(String clientName, String connectionId, int streamId,
			boolean responseStarted, boolean reportingStream) {
		super(clientName,
				"HTTP pool '" + clientName + "': connection " + connectionId + " to the upstream closed while stream "
						+ streamId + " was in flight, "
						+ (responseStarted ? "during the response" : "before the response")
						+ "; the upstream may have processed the request",
				null);
		this.connectionId = connectionId;
		this.streamId = streamId;
		this.responseStarted = responseStarted;
		this.reportingStream = reportingStream;
	}

	/**
	 * Return the id of the lost connection, the same for all the streams it failed.
	 * @return Netty's short channel id of the connection
	 */
	public String getConnectionId() {
		return this.connectionId;
	}

	/**
	 * Return the id of the HTTP/2 stream that carried the request.
	 * @return the stream id
	 */
	public int getStreamId() {
		return this.streamId;
	}

	/**
	 * Whether the response headers had arrived when the connection closed: the body was
	 * cut short, and the call is not retried.
	 * @return whether the response had started
	 */
	public boolean isResponseStarted() {
		return this.responseStarted;
	}

	/**
	 * Whether this stream reports the loss of its connection: true for exactly one of the
	 * streams whose response had not started, so that the circuit breaker counts one
	 * failure per lost connection.
	 * @return whether this stream reports the loss
	 */
	public boolean isReportingStream() {
		return this.reportingStream;
	}

}
