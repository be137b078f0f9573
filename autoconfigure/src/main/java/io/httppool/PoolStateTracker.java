package io.httppool;

import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import reactor.netty.http.client.HttpConnectionPoolMetrics;
import reactor.netty.resources.ConnectionPoolMetrics;
import reactor.netty.resources.ConnectionProvider;

/**
 * Keeps the live metrics of every per-address pool of one client, handed over by Reactor
 * Netty when a pool is created, and counts opened connections and sent requests. Reading
 * it never touches the network and never blocks.
 */
final class PoolStateTracker implements ConnectionProvider.MeterRegistrar {

	private final Map<String, ConnectionPoolMetrics> pools = new ConcurrentHashMap<>();

	private final LongAdder connectionsOpened = new LongAdder();

	private final LongAdder requests = new LongAdder();

	@Override
	public void registerMetrics(String poolName, String id, SocketAddress remoteAddress,
			ConnectionPoolMetrics metrics) {
		this.pools.put(key(poolName, id, remoteAddress), metrics);
	}

	@Override
	public void deRegisterMetrics(String poolName, String id, SocketAddress remoteAddress) {
		this.pools.remove(key(poolName, id, remoteAddress));
	}

	// an HTTP/2 client registers two pools with the same id and address: the stream pool
	// ("http2.<name>") and the TCP connection pool beneath it ("<name>")
	private static String key(String poolName, String id, SocketAddress remoteAddress) {
		return poolName + '|' + id + '|' + remoteAddress;
	}

	void connectionOpened() {
		this.connectionsOpened.increment();
	}

	void requestSent() {
		this.requests.increment();
	}

	HttpPoolState snapshot(HttpPoolClientSettings settings) {
		int active = 0;
		int idle = 0;
		int pending = 0;
		int streams = 0;
		for (ConnectionPoolMetrics metrics : this.pools.values()) {
			pending += metrics.pendingAcquireSize();
			if (metrics instanceof HttpConnectionPoolMetrics http2Metrics) {
				// the stream pool: its connections are the TCP pool's, counted there
				streams += http2Metrics.activeStreamSize();
				continue;
			}
			int allocated = metrics.allocatedSize();
			int idleSize = metrics.idleSize();
			idle += idleSize;
			active += Math.max(0, allocated - idleSize);
		}
		boolean http2 = settings.isHttp2();
		return new HttpPoolState(settings.name(), http2, active, idle, pending, settings.pool().maxConnections(),
				streams, http2 ? settings.http2().maxConcurrentStreams() : 1, this.connectionsOpened.sum(),
				this.requests.sum());
	}

}
