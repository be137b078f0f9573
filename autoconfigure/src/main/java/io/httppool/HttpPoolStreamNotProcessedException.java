package io.httppool;

/**
 * The upstream closed an HTTP/2 connection with GOAWAY before it processed this request:
 * the request's stream id is above the GOAWAY's last-stream-id, which (RFC 9113, section
 * 6.8) guarantees the server did not act on it. Servers do this routinely: nginx sends
 * GOAWAY after {@code keepalive_requests} (1000) requests on a connection, and streams
 * the client opened while that frame was on its way are dropped. The request is safe to
 * send again on another connection whatever its method; the resilience layer does so at
 * once.
 *
 * <p>
 * It reaches the caller as the cause of an {@link java.io.IOException} with the same
 * message: a transport failure to Reactor Netty, to Spring (which wraps it in a
 * {@code WebClientRequestException} or a {@code ResourceAccessException}) and to the
 * metrics (status {@code IO_ERROR}). Look for this type in the cause chain.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public class HttpPoolStreamNotProcessedException extends HttpPoolException {

	private final int streamId;

	private final long errorCode;

	/**
	 * Create an exception.
	 * @param clientName the client name
	 * @param streamId the id of the stream that carried the request
	 * @param errorCode the error code of the GOAWAY frame (0 is {@code NO_ERROR}, a
	 * graceful close)
	 */
	public HttpPoolStreamNotProcessedException(String clientName, int streamId, long errorCode) {
		super(clientName,
				"HTTP pool '" + clientName + "': the upstream sent GOAWAY (error code " + errorCode
						+ ") and did not process stream " + streamId
						+ "; the request is safe to send again on another connection",
				null);
		this.streamId = streamId;
		this.errorCode = errorCode;
	}

	/**
	 * Return the id of the HTTP/2 stream that carried the request.
	 * @return the stream id
	 */
	public int getStreamId() {
		return this.streamId;
	}

	/**
	 * Return the HTTP/2 error code of the GOAWAY frame.
	 * @return the error code, 0 ({@code NO_ERROR}) for a graceful close
	 */
	public long getErrorCode() {
		return this.errorCode;
	}

	/**
	 * Whether the upstream closed the connection gracefully ({@code NO_ERROR}), as when
	 * it rotates connections after a number of requests, rather than because of an error
	 * such as {@code ENHANCE_YOUR_CALM} or {@code INTERNAL_ERROR}.
	 * @return whether the GOAWAY carried {@code NO_ERROR}
	 */
	public boolean isGraceful() {
		return this.errorCode == 0;
	}

}
