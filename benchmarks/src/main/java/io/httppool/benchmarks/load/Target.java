package io.httppool.benchmarks.load;

import java.net.URI;
import java.nio.file.Path;

/**
 * What one client run sends, and where.
 *
 * @param baseUrl scheme, host and port of nginx for the protocol
 * @param protocol HTTP/2 on one connection or HTTP/1.1 on a pool
 * @param path request path ({@code /get}, {@code /delay}, {@code /upload})
 * @param bodyBytes size of the POST body, 0 for a GET
 * @param certificate PEM certificate nginx serves, which every client trusts
 * @param concurrency requests in flight
 * @author http-pool team
 */
record Target(String baseUrl, Protocol protocol, String path, int bodyBytes, Path certificate, int concurrency) {

	URI uri() {
		return URI.create(this.baseUrl + this.path);
	}

	boolean post() {
		return this.bodyBytes > 0;
	}

	byte[] body() {
		return new byte[this.bodyBytes];
	}

	/**
	 * Protocols the harness runs, each with its pool size.
	 */
	enum Protocol {

		/**
		 * HTTP/2 over TLS on one connection.
		 */
		H2(1),

		/**
		 * HTTP/1.1 over TLS on a pool of 20 connections.
		 */
		H1(20);

		private final int connections;

		Protocol(int connections) {
			this.connections = connections;
		}

		int connections() {
			return this.connections;
		}

		String label() {
			return (this == H2) ? "h2" : "http/1.1";
		}

	}

}
