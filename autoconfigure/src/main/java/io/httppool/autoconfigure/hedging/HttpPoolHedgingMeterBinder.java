package io.httppool.autoconfigure.hedging;

import java.util.function.ToLongFunction;

import io.httppool.HttpPoolClient;
import io.httppool.HttpPoolClients;
import io.httppool.hedging.HedgingExchangeFilter;
import io.httppool.hedging.HttpPoolHedgingCustomizer;
import io.httppool.metrics.HttpPoolMeters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Binds the {@value HttpPoolMeters#HEDGES} counters of every client with
 * {@code hedging.enabled=true}, one per {@value HttpPoolMeters#OUTCOME}. Define a bean of
 * this type to replace it.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public class HttpPoolHedgingMeterBinder implements MeterBinder {

	private final HttpPoolClients clients;

	private final HttpPoolHedgingCustomizer hedging;

	/**
	 * Create a binder.
	 * @param clients the clients
	 * @param hedging the customizer that installed their hedging filters
	 */
	public HttpPoolHedgingMeterBinder(HttpPoolClients clients, HttpPoolHedgingCustomizer hedging) {
		this.clients = clients;
		this.hedging = hedging;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (HttpPoolClient client : this.clients.all()) {
			if (client.settings().hedging().enabled()) {
				String name = client.name();
				counter(registry, name, HttpPoolMeters.HEDGE_SENT,
						"Hedges sent: no answer came within the hedging delay (hedges)",
						HedgingExchangeFilter::hedgesSent);
				counter(registry, name, HttpPoolMeters.HEDGE_WON,
						"Hedges that answered before the attempt they hedged (hedges)",
						HedgingExchangeFilter::hedgesWon);
				counter(registry, name, HttpPoolMeters.HEDGE_SKIPPED,
						"Hedges not sent for want of a permit from the retry budget (hedges)",
						HedgingExchangeFilter::hedgesSkipped);
			}
		}
	}

	private void counter(MeterRegistry registry, String name, String outcome, String description,
			ToLongFunction<HedgingExchangeFilter> count) {
		FunctionCounter.builder(HttpPoolMeters.HEDGES, this.hedging, (hedging) -> {
			// the filter is built with the client's WebClient
			HedgingExchangeFilter filter = hedging.filter(name);
			return (filter != null) ? count.applyAsLong(filter) : 0;
		})
			.description(description)
			.tag(HttpPoolMeters.CLIENT, name)
			.tag(HttpPoolMeters.OUTCOME, outcome)
			.register(registry);
	}

}
