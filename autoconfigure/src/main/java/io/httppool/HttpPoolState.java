package io.httppool;

/**
 * Point-in-time view of one client's pool, read from local state only. The same numbers
 * feed health, meters and the {@code httppools} endpoint.
 *
 * <p>
 * Utilization is defined for both protocols: for HTTP/1.1 it is active connections over
 * {@code max-connections}; for HTTP/2 it is active streams over {@code max-connections x
 * http2.max-concurrent-streams}. A request waiting for a connection or a stream means the
 * pool is saturated, so any pending acquire makes the utilization 1.
 *
 * @param clientName the client name
 * @param http2 whether the pool holds HTTP/2 connections
 * @param activeConnections connections carrying at least one request; for HTTP/2, where
 * Reactor Netty does not tell how streams spread over connections, the fewest open
 * connections that can carry the active streams
 * @param idleConnections the other open connections
 * @param pendingAcquires requests waiting for a connection or a stream
 * @param maxConnections the configured maximum of connections
 * @param activeStreams HTTP/2 streams in flight (0 for HTTP/1.1)
 * @param maxConcurrentStreams the configured maximum of streams per HTTP/2 connection (1
 * for HTTP/1.1)
 * @param connectionsOpened TCP connections opened since the client started
 * @param requests attempts that ended since the client started, answered or failed,
 * retries included: the same count as the {@code http.pool.requests} timer's
 * @author http-pool team
 * @since 0.1.0
 */
public record HttpPoolState(String clientName, boolean http2, int activeConnections, int idleConnections,
		int pendingAcquires, int maxConnections, int activeStreams, int maxConcurrentStreams, long connectionsOpened,
		long requests) {

	/**
	 * Number of requests the pool can carry at once without queueing.
	 * @return {@code maxConnections} for HTTP/1.1, {@code maxConnections x
	 * maxConcurrentStreams} for HTTP/2
	 */
	public long capacity() {
		return this.http2 ? (long) this.maxConnections * this.maxConcurrentStreams : this.maxConnections;
	}

	/**
	 * Share of the pool's capacity in use, from 0 to 1; 1 as soon as a request waits.
	 * @return the utilization
	 */
	public double utilization() {
		if (this.pendingAcquires > 0) {
			return 1.0;
		}
		long inUse = this.http2 ? this.activeStreams : this.activeConnections;
		long capacity = capacity();
		return (capacity > 0) ? Math.min(1.0, (double) inUse / capacity) : 0.0;
	}

	/**
	 * Share of requests that reused an open connection: {@code 1 - connectionsOpened /
	 * requests}, or 0 before the first request.
	 * @return the connection reuse ratio, from 0 to 1
	 */
	public double reuseRatio() {
		return (this.requests > 0) ? Math.max(0.0, 1.0 - (double) this.connectionsOpened / this.requests) : 0.0;
	}

	/**
	 * Name of the protocol the pool speaks, as shown in health details and endpoints.
	 * @return {@code "HTTP/2"} or {@code "HTTP/1.1"}
	 */
	public String protocolName() {
		return this.http2 ? "HTTP/2" : "HTTP/1.1";
	}

}
