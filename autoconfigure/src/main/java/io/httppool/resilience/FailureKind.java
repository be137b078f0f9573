package io.httppool.resilience;

/**
 * What a failed attempt proves about the request, which decides whether it may be retried
 * and whether the circuit breaker counts it.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public enum FailureKind {

	/**
	 * The upstream could not be reached (connection refused, connect timeout, unknown
	 * host, TLS handshake failure, HTTP/2 stream refused or left unprocessed by a GOAWAY
	 * that reports an error): the request was never processed, so any method may be
	 * retried. Counts as a breaker failure.
	 */
	CONNECT,

	/**
	 * The local pool gave no connection ({@link io.httppool.HttpPoolExhaustedException}):
	 * the request never left the client, so any method may be retried. Says nothing about
	 * the upstream, so the breaker does not count it.
	 */
	POOL,

	/**
	 * The upstream said it did not process the request: an HTTP/2 stream above the
	 * last-stream-id of a graceful GOAWAY
	 * ({@link io.httppool.HttpPoolStreamNotProcessedException}), as nginx sends after
	 * {@code keepalive_requests} requests on a connection; or a stream Reactor Netty gave
	 * up on before writing the request because such a GOAWAY (or a close) raced its
	 * acquire ({@code IOException: Error while acquiring from <pool>. Max active streams
	 * is reached.}). Any method may be sent again, at once the first time (the next
	 * attempt takes another connection), without using up {@code retry.max-attempts} or
	 * the retry budget (at most {@code max-attempts} such re-sends per call). A healthy
	 * upstream rotating its connections, so the breaker does not count it.
	 */
	NOT_PROCESSED,

	/**
	 * The exchange failed after the request may have reached the upstream (reset,
	 * premature close, a stream at or below a GOAWAY's last-stream-id that never got its
	 * answer, response timeout): only idempotent requests are retried. Counts as a
	 * breaker failure.
	 */
	TRANSPORT,

	/**
	 * Like {@link #TRANSPORT} (only idempotent requests are retried), for a request in
	 * flight on an HTTP/2 connection that closed under several streams at once, when
	 * another of its streams already reports the loss
	 * ({@link io.httppool.HttpPoolConnectionLostException#isReportingStream()},
	 * classified {@link #TRANSPORT}). One lost connection is one failure of the upstream,
	 * so the breaker does not count the others: 64 streams on a dropped connection would
	 * otherwise be 64 consecutive failures and open the breaker although the next
	 * connection works.
	 */
	LOST_WITH_CONNECTION,

	/**
	 * Not a transport failure (shutdown, interruption, codec or programming errors):
	 * never retried, not counted by the breaker.
	 */
	OTHER

}
