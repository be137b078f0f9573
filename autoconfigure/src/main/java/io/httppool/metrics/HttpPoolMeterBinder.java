package io.httppool.metrics;

import java.util.function.ToDoubleFunction;

import io.httppool.HttpPoolClient;
import io.httppool.HttpPoolState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Binds the pool gauges and the opened-connections counter of one client (see
 * {@link HttpPoolMeters}) to a registry. Every value is read from
 * {@link HttpPoolClient#state()} when the registry asks for it, so meters and health
 * always agree; nothing is copied or cached. The meters are removed from the registry
 * once the client is disposed.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public class HttpPoolMeterBinder implements MeterBinder {

	private final HttpPoolClient client;

	/**
	 * Create a binder for the given client.
	 * @param client the client
	 */
	public HttpPoolMeterBinder(HttpPoolClient client) {
		this.client = client;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Tags tags = Tags.of(HttpPoolMeters.CLIENT, this.client.name());
		gauge(registry, tags, HttpPoolMeters.CONNECTIONS_ACTIVE,
				"Connections carrying at least one request (connections)", HttpPoolState::activeConnections);
		gauge(registry, tags, HttpPoolMeters.CONNECTIONS_IDLE, "Open connections carrying no request (connections)",
				HttpPoolState::idleConnections);
		gauge(registry, tags, HttpPoolMeters.CONNECTIONS_PENDING,
				"Requests waiting for a connection (HTTP/1.1) or a stream (HTTP/2) (requests)",
				HttpPoolState::pendingAcquires);
		gauge(registry, tags, HttpPoolMeters.CONNECTIONS_MAX, "Configured maximum of connections (connections)",
				HttpPoolState::maxConnections);
		if (this.client.settings().isHttp2()) {
			gauge(registry, tags, HttpPoolMeters.STREAMS_ACTIVE, "HTTP/2 streams in flight (streams)",
					HttpPoolState::activeStreams);
		}
		gauge(registry, tags, HttpPoolMeters.UTILIZATION,
				"Share of the pool's capacity in use, 1 as soon as a request waits (ratio, 0 to 1)",
				HttpPoolState::utilization);
		FunctionCounter.builder(HttpPoolMeters.CONNECTIONS_OPENED, this.client, (c) -> c.state().connectionsOpened())
			.description("TCP connections opened since the client started (connections)")
			.tags(tags)
			.register(registry);
		this.client.onDispose()
			.subscribe(null, (ex) -> HttpPoolMeters.remove(registry, this.client.name()),
					() -> HttpPoolMeters.remove(registry, this.client.name()));
	}

	private void gauge(MeterRegistry registry, Tags tags, String name, String description,
			ToDoubleFunction<HttpPoolState> value) {
		Gauge.builder(name, this.client, (c) -> value.applyAsDouble(c.state()))
			.description(description)
			.tags(tags)
			.strongReference(true)
			.register(registry);
	}

}
