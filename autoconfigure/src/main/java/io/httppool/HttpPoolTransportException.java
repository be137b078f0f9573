package io.httppool;

import org.jspecify.annotations.Nullable;

/**
 * An exchange of a named client failed in the network or because the upstream did not
 * speak HTTP: the connection was refused, the host name did not resolve, the TLS
 * handshake failed, the connection was reset or closed before the response completed, or
 * the answer was not valid HTTP. The message names the client, the failure and the
 * original cause (kept as {@link #getCause()}).
 *
 * <p>
 * When the failure happens before the response headers arrive, the {@code WebClient} and
 * the {@code RestClient} raise this exception itself. When it happens while the caller
 * reads the body, Spring's {@code WebClient} wraps it in a
 * {@code WebClientResponseException} (Spring wraps every body error that is not its own);
 * the {@code RestClient} raises it as is.
 *
 * @author http-pool team
 * @since 0.2.0
 */
public class HttpPoolTransportException extends HttpPoolException {

	private final Failure failure;

	/**
	 * Create an exception.
	 * @param clientName the client name
	 * @param failure what failed
	 * @param cause the original failure
	 */
	public HttpPoolTransportException(String clientName, Failure failure, @Nullable Throwable cause) {
		super(clientName, "HTTP pool '" + clientName + "': " + failure.description + " ("
				+ ((cause != null) ? describe(cause) : "no detail") + ")", cause);
		this.failure = failure;
	}

	/**
	 * Whether the given exception is Reactor Netty giving up acquiring an HTTP/2 stream
	 * ({@code IOException: Error while acquiring from <pool>. Max active streams is
	 * reached}), which it raises when its pool races with a connection reaching its
	 * stream limit or rotating.
	 * @param candidate an exception of a cause chain
	 * @return whether it is such an acquire failure
	 */
	public static boolean isStreamAcquireFailure(Throwable candidate) {
		String message = candidate.getMessage();
		return candidate instanceof java.io.IOException && message != null
				&& message.startsWith("Error while acquiring from ");
	}

	private static String describe(Throwable cause) {
		String message = cause.getMessage();
		return (message != null && !message.isBlank()) ? message : cause.getClass().getSimpleName();
	}

	/**
	 * Return what failed.
	 * @return the failure
	 */
	public Failure getFailure() {
		return this.failure;
	}

	/**
	 * What failed in an exchange.
	 */
	public enum Failure {

		/**
		 * The upstream refused the connection: nothing listens on its port.
		 */
		CONNECTION_REFUSED("connection refused by the upstream", false),

		/**
		 * The upstream's host name did not resolve.
		 */
		UNKNOWN_HOST("the upstream's host name did not resolve", false),

		/**
		 * The TLS handshake failed: an untrusted certificate, a certificate for another
		 * host, or no common protocol or cipher.
		 */
		TLS_HANDSHAKE("TLS handshake with the upstream failed", false),

		/**
		 * Reactor Netty gave up acquiring an HTTP/2 stream for the request (its pool
		 * raced with a connection reaching its stream limit or rotating): the request was
		 * not sent, and says nothing about the upstream.
		 */
		STREAM_NOT_ACQUIRED("no HTTP/2 stream could be acquired for the request, which was not sent", false),

		/**
		 * The upstream reset the connection (TCP RST).
		 */
		CONNECTION_RESET("the connection was reset", true),

		/**
		 * The connection closed before the response was complete.
		 */
		CONNECTION_CLOSED("the connection closed before the response was complete", true),

		/**
		 * The upstream answered something that is not valid HTTP (or not TLS on an
		 * {@code https} URL).
		 */
		MALFORMED_RESPONSE("the upstream's answer is not valid HTTP", true),

		/**
		 * Any other I/O failure.
		 */
		IO("I/O failure", true);

		private final String description;

		private final boolean mayHaveBeenSent;

		Failure(String description, boolean mayHaveBeenSent) {
			this.description = description;
			this.mayHaveBeenSent = mayHaveBeenSent;
		}

		/**
		 * Whether the request may have reached the upstream: {@code false} when no
		 * connection was established, so the request is safe to send again whatever its
		 * method.
		 * @return whether the request may have been sent
		 */
		public boolean mayHaveBeenSent() {
			return this.mayHaveBeenSent;
		}

		/**
		 * Return the description used in messages.
		 * @return the description
		 */
		public String description() {
			return this.description;
		}

	}

}
