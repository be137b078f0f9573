package io.httppool.autoconfigure.concurrency;

import io.httppool.HttpPoolClient;
import io.httppool.HttpPoolClients;
import io.httppool.concurrency.HttpPoolConcurrencyLimits;
import io.httppool.metrics.HttpPoolMeters;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Binds the {@value HttpPoolMeters#CONCURRENCY_LIMIT} gauge of every client with
 * {@code concurrency.adaptive=true}. Define a bean of this type to replace it.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public class HttpPoolConcurrencyMeterBinder implements MeterBinder {

	private final HttpPoolClients clients;

	private final HttpPoolConcurrencyLimits limits;

	/**
	 * Create a binder.
	 * @param clients the clients
	 * @param limits their adaptive limits
	 */
	public HttpPoolConcurrencyMeterBinder(HttpPoolClients clients, HttpPoolConcurrencyLimits limits) {
		this.clients = clients;
		this.limits = limits;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (HttpPoolClient client : this.clients.all()) {
			if (client.settings().concurrency().adaptive()) {
				String name = client.name();
				Gauge.builder(HttpPoolMeters.CONCURRENCY_LIMIT, this.limits, (limits) -> {
					Integer limit = limits.limit(name);
					return (limit != null) ? limit : Double.NaN;
				})
					.description("Adaptive limit of attempts in flight; attempts beyond it fail at once (calls)")
					.tag(HttpPoolMeters.CLIENT, name)
					.strongReference(true)
					.register(registry);
			}
		}
	}

}
