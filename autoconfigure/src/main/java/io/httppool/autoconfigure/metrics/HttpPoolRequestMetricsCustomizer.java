package io.httppool.autoconfigure.metrics;

import io.httppool.HttpPoolClientCustomizer;
import io.httppool.HttpPoolClientSettings;
import io.httppool.metrics.HttpPoolRequestMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.netty.http.client.HttpClient;

/**
 * Instruments every client's Reactor Netty {@link HttpClient} with its
 * {@code http.pool.requests} timer. Hooking there rather than into the {@code WebClient}
 * or {@code RestClient} measures both of them, and HTTP service groups, with one
 * implementation, and sees every retry as its own attempt. Define a bean of this type to
 * replace it.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public class HttpPoolRequestMetricsCustomizer implements HttpPoolClientCustomizer {

	private final MeterRegistry registry;

	/**
	 * Create a customizer recording into the given registry.
	 * @param registry the registry
	 */
	public HttpPoolRequestMetricsCustomizer(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public HttpClient customizeHttpClient(HttpPoolClientSettings settings, HttpClient httpClient) {
		return new HttpPoolRequestMetrics(settings.name(), this.registry).instrument(httpClient);
	}

}
