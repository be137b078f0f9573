package io.httppool.autoconfigure.metrics;

import io.httppool.HttpPoolClient;
import io.httppool.HttpPoolClients;
import io.httppool.metrics.HttpPoolMeterBinder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Binds the pool meters of every configured client, through one
 * {@link HttpPoolMeterBinder} each. Spring Boot binds it to the application's registry
 * once all singletons exist, after its meter filters are in place. Define a bean of this
 * type to replace it.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public class HttpPoolsMeterBinder implements MeterBinder {

	private final HttpPoolClients clients;

	/**
	 * Create a binder for the given clients.
	 * @param clients the clients
	 */
	public HttpPoolsMeterBinder(HttpPoolClients clients) {
		this.clients = clients;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (HttpPoolClient client : this.clients.all()) {
			new HttpPoolMeterBinder(client).bindTo(registry);
		}
	}

}
