package io.httppool;

/**
 * TLS implementation of a client's connections.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public enum HttpPoolSslProvider {

	/**
	 * OpenSSL (BoringSSL from {@code io.netty:netty-tcnative-boringssl-static}, which the
	 * starter brings) where its native library loads, the JDK's TLS otherwise: what
	 * Reactor Netty picks by itself.
	 */
	AUTO,

	/**
	 * The JDK's {@code SSLEngine}, whatever is on the class path: for JCA providers such
	 * as a FIPS module that only the JDK's TLS uses.
	 */
	JDK,

	/**
	 * OpenSSL through netty-tcnative; the application does not start where its native
	 * library does not load.
	 */
	OPENSSL

}
