package io.httppool;

import java.net.SocketAddress;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
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

	private final Map<PoolKey, ConnectionPoolMetrics> pools = new ConcurrentHashMap<>();

	private final LongAdder connectionsOpened = new LongAdder();

	private final LongAdder requests = new LongAdder();

	@Override
	public void registerMetrics(String poolName, String id, SocketAddress remoteAddress,
			ConnectionPoolMetrics metrics) {
		this.pools.put(new PoolKey(poolName, id, remoteAddress), metrics);
	}

	@Override
	public void deRegisterMetrics(String poolName, String id, SocketAddress remoteAddress) {
		this.pools.remove(new PoolKey(poolName, id, remoteAddress));
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
		// For HTTP/2 Reactor Netty registers two pools under the same id and address: the
		// streams pool ("http2.<name>"), which knows streams and waiting requests, and
		// the TCP pool it borrows connections from ("<name>"). Read the first only.
		Set<String> http2Pools = new HashSet<>();
		this.pools.forEach((key, metrics) -> {
			if (metrics instanceof HttpConnectionPoolMetrics) {
				http2Pools.add(key.idAndAddress());
			}
		});
		for (Map.Entry<PoolKey, ConnectionPoolMetrics> entry : this.pools.entrySet()) {
			ConnectionPoolMetrics metrics = entry.getValue();
			if (!(metrics instanceof HttpConnectionPoolMetrics) && http2Pools.contains(entry.getKey().idAndAddress())) {
				continue;
			}
			int allocated = metrics.allocatedSize();
			int idleSize = metrics.idleSize();
			idle += idleSize;
			active += Math.max(0, allocated - idleSize);
			pending += metrics.pendingAcquireSize();
			if (metrics instanceof HttpConnectionPoolMetrics http2Metrics) {
				streams += http2Metrics.activeStreamSize();
			}
		}
		boolean http2 = settings.isHttp2();
		return new HttpPoolState(settings.name(), http2, active, idle, pending, settings.pool().maxConnections(),
				streams, http2 ? settings.http2().maxConcurrentStreams() : 1, this.connectionsOpened.sum(),
				this.requests.sum());
	}

	private record PoolKey(String poolName, String id, SocketAddress remoteAddress) {

		String idAndAddress() {
			return this.id + '|' + this.remoteAddress;
		}

	}

}
