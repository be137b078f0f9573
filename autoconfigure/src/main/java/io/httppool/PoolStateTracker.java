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
 * Netty when a pool is created, and counts opened connections and attempts (told by
 * {@link Attempts}, the one place an attempt ends). Reading it never touches the network
 * and never blocks.
 */
final class PoolStateTracker implements ConnectionProvider.MeterRegistrar {

	// For HTTP/2 Reactor Netty registers two pools under the same id and address: the
	// streams pool ("http2.<name>"), which knows streams and waiting requests, and the
	// TCP pool it borrows connections from ("<name>"). HTTP/1.1 has the TCP pool only.
	private final Map<PoolKey, ConnectionPoolMetrics> connectionPools = new ConcurrentHashMap<>();

	private final Map<PoolKey, HttpConnectionPoolMetrics> streamPools = new ConcurrentHashMap<>();

	private final LongAdder connectionsOpened;

	private final LongAdder requests;

	PoolStateTracker() {
		this(new LongAdder(), new LongAdder());
	}

	private PoolStateTracker(LongAdder connectionsOpened, LongAdder requests) {
		this.connectionsOpened = connectionsOpened;
		this.requests = requests;
	}

	/**
	 * A tracker for the next pool of the same client (see {@link PoolGeneration}): its
	 * own pools, the same counters, so that the opened-connections counter keeps
	 * counting.
	 * @return the tracker of the next pool
	 */
	PoolStateTracker next() {
		return new PoolStateTracker(this.connectionsOpened, this.requests);
	}

	@Override
	public void registerMetrics(String poolName, String id, SocketAddress remoteAddress,
			ConnectionPoolMetrics metrics) {
		PoolKey key = new PoolKey(id, remoteAddress);
		if (metrics instanceof HttpConnectionPoolMetrics streams) {
			this.streamPools.put(key, streams);
		}
		else {
			this.connectionPools.put(key, metrics);
		}
	}

	@Override
	public void deRegisterMetrics(String poolName, String id, SocketAddress remoteAddress) {
		PoolKey key = new PoolKey(id, remoteAddress);
		if (poolName.startsWith("http2.")) {
			this.streamPools.remove(key);
		}
		else {
			this.connectionPools.remove(key);
		}
	}

	void connectionOpened() {
		this.connectionsOpened.increment();
	}

	void attemptEnded() {
		this.requests.increment();
	}

	HttpPoolState snapshot(HttpPoolClientSettings settings) {
		int maxStreams = settings.isHttp2() ? settings.http2().maxConcurrentStreams() : 1;
		int active = 0;
		int idle = 0;
		int pending = 0;
		int streams = 0;
		for (Map.Entry<PoolKey, ConnectionPoolMetrics> entry : this.connectionPools.entrySet()) {
			ConnectionPoolMetrics connections = entry.getValue();
			HttpConnectionPoolMetrics streamPool = this.streamPools.get(entry.getKey());
			pending += connections.pendingAcquireSize();
			if (streamPool == null) {
				idle += connections.idleSize();
				active += Math.max(0, connections.allocatedSize() - connections.idleSize());
			}
			else {
				// Reactor Netty does not tell how streams spread over connections: count
				// the
				// fewest connections that can carry the active streams
				int open = connections.allocatedSize();
				int inFlight = streamPool.activeStreamSize();
				int busy = (inFlight > 0) ? Math.min(open, Math.max(1, (inFlight + maxStreams - 1) / maxStreams)) : 0;
				active += busy;
				idle += open - busy;
				streams += inFlight;
				pending += streamPool.pendingAcquireSize();
			}
		}
		return new HttpPoolState(settings.name(), settings.isHttp2(), active, idle, pending,
				settings.pool().maxConnections(), streams, maxStreams, this.connectionsOpened.sum(),
				this.requests.sum());
	}

	private record PoolKey(String id, SocketAddress remoteAddress) {

	}

}
