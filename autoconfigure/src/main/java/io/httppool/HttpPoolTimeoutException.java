package io.httppool;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * A timeout of a named client fired. The message names the client, which timeout it was,
 * its configured value and the property that sets it, for example
 * {@code http.pool.clients.stt.response-timeout}; {@link #getKind()} tells them apart in
 * code. The cause is the low-level exception (Netty's {@code ReadTimeoutException},
 * {@code WriteTimeoutException} or {@code ConnectTimeoutException}) when there is one.
 *
 * <p>
 * Both the {@code WebClient} and the {@code RestClient} of a client throw it as is, not
 * wrapped in a {@code WebClientRequestException} or a {@code ResourceAccessException}. A
 * request that waited too long for a connection from the pool is reported as
 * {@link HttpPoolExhaustedException} instead: it never reached the network, and the fix
 * is the pool's size rather than a longer wait.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public class HttpPoolTimeoutException extends HttpPoolException {

	private final Kind kind;

	private final Duration timeout;

	/**
	 * Create an exception with the standard message of its kind.
	 * @param clientName the client name
	 * @param kind which timeout fired
	 * @param timeout its configured value
	 * @param cause the low-level exception, or {@code null}
	 */
	public HttpPoolTimeoutException(String clientName, Kind kind, Duration timeout, @Nullable Throwable cause) {
		this(clientName, kind, timeout, "HTTP pool '" + clientName + "': " + kind.describe(timeout) + "; " + kind.advice
				+ " " + property(clientName, kind), cause);
	}

	/**
	 * Create an exception with the given message.
	 * @param clientName the client name
	 * @param kind which timeout fired
	 * @param timeout its configured value
	 * @param message the message, which names the property to change
	 * @param cause the cause, or {@code null}
	 */
	protected HttpPoolTimeoutException(String clientName, Kind kind, Duration timeout, String message,
			@Nullable Throwable cause) {
		super(clientName, message, cause);
		this.kind = kind;
		this.timeout = timeout;
	}

	/**
	 * Return the full key of the property that sets the given timeout of a client.
	 * @param clientName the client name
	 * @param kind the timeout
	 * @return the key, for example {@code http.pool.clients.stt.response-timeout}
	 */
	public static String property(String clientName, Kind kind) {
		return "http.pool.clients." + clientName + "." + kind.key;
	}

	/**
	 * Return which timeout fired.
	 * @return the kind of timeout
	 */
	public Kind getKind() {
		return this.kind;
	}

	/**
	 * Return the configured value of the timeout that fired.
	 * @return the timeout
	 */
	public Duration getTimeout() {
		return this.timeout;
	}

	/**
	 * Return the full key of the property that sets the timeout that fired.
	 * @return the key, for example {@code http.pool.clients.stt.response-timeout}
	 */
	public String getProperty() {
		return property(getClientName(), this.kind);
	}

	/**
	 * Which timeout fired.
	 */
	public enum Kind {

		/**
		 * No TCP connection (and TLS handshake) within {@code connect-timeout}: the
		 * request was not sent.
		 */
		CONNECT("connect-timeout", "no connection was established within", "; the request was not sent",
				"check that the upstream is reachable, or raise"),

		/**
		 * Nothing was read within {@code response-timeout} after the request was sent, or
		 * between two reads of the response: the upstream may have processed the request.
		 */
		RESPONSE("response-timeout", "nothing was received within",
				" after the request was sent; the upstream may have processed it",
				"if the upstream is just slow, raise"),

		/**
		 * The response body stalled: nothing was read within {@code read-timeout}.
		 */
		READ("read-timeout", "the response body stalled: nothing was read within", "",
				"if the upstream streams slowly, raise"),

		/**
		 * A write of the request did not complete within {@code write-timeout}: the
		 * upstream stopped reading.
		 */
		WRITE("write-timeout", "a write of the request did not complete within", "; the upstream stopped reading",
				"for slow uploads, raise"),

		/**
		 * The total deadline of a call ({@code timeout}) passed, across all attempts and
		 * backoffs.
		 */
		DEADLINE("timeout", "the call exceeded its total deadline of", "", "raise");

		private final String key;

		private final String what;

		private final String consequence;

		private final String advice;

		Kind(String key, String what, String consequence, String advice) {
			this.key = key;
			this.what = what;
			this.consequence = consequence;
			this.advice = advice;
		}

		/**
		 * Return the key of the property under {@code http.pool.clients.<name>}.
		 * @return the key, for example {@code response-timeout}
		 */
		public String key() {
			return this.key;
		}

		String describe(Duration timeout) {
			return this.what + " " + this.key + " (" + format(timeout) + ")" + this.consequence;
		}

		// as a user writes it in application.properties
		static String format(Duration timeout) {
			long millis = timeout.toMillis();
			return (millis % 1000 != 0 || millis == 0) ? millis + "ms" : (millis / 1000) + "s";
		}

	}

}
