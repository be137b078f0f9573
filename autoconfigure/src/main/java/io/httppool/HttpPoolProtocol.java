package io.httppool;

/**
 * Protocol a client speaks to its upstream.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public enum HttpPoolProtocol {

	/**
	 * HTTP/2 negotiated with ALPN on {@code https} with HTTP/1.1 as fallback; HTTP/1.1 on
	 * plain {@code http}.
	 */
	AUTO,

	/**
	 * HTTP/2 over TLS only.
	 */
	H2,

	/**
	 * HTTP/2 over clear text with prior knowledge (no upgrade round trip).
	 */
	H2C,

	/**
	 * HTTP/1.1 only.
	 */
	HTTP1

}
