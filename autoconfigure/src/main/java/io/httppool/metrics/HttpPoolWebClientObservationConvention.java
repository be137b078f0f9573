package io.httppool.metrics;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

import org.springframework.web.reactive.function.client.ClientRequestObservationContext;
import org.springframework.web.reactive.function.client.DefaultClientRequestObservationConvention;

/**
 * Spring's {@code WebClient} observation convention with the http-pool client's name as
 * one more low-cardinality key, {@value HttpPoolMeters#CLIENT}: the
 * {@code http.client.requests} timer and its spans of a client's {@code WebClient} say
 * which client made the call, with the same tag as the {@code http.pool.*} meters.
 * Everything else (name, keys, contextual name) is Spring's default.
 *
 * @author http-pool team
 * @since 0.2.0
 * @see HttpPoolRestClientObservationConvention
 */
public class HttpPoolWebClientObservationConvention extends DefaultClientRequestObservationConvention {

	private final KeyValue client;

	/**
	 * Create the convention of one client.
	 * @param name the observation name
	 * ({@code management.observations.http.client.requests.name})
	 * @param clientName the http-pool client name
	 */
	public HttpPoolWebClientObservationConvention(String name, String clientName) {
		super(name);
		this.client = KeyValue.of(HttpPoolMeters.CLIENT, clientName);
	}

	// Spring's default keys and ours in one KeyValues: adding to the default's result
	// (and) would build and merge a second one on every call (about 120 bytes, measured);
	// HttpPoolObservationConventionTests fails if Spring's default gains a key
	@Override
	public KeyValues getLowCardinalityKeyValues(ClientRequestObservationContext context) {
		return KeyValues.of(clientName(context), exception(context), method(context), outcome(context), status(context),
				uri(context), this.client);
	}

}
