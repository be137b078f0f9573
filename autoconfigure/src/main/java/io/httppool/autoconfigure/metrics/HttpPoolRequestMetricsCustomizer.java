package io.httppool.autoconfigure.metrics;

import io.httppool.HttpPoolAttemptRecorder;
import io.httppool.HttpPoolClientCustomizer;
import io.httppool.HttpPoolClientSettings;
import io.httppool.metrics.HttpPoolRequestMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Gives every client its {@code http.pool.requests} timer as the recorder its guard tells
 * about every attempt ({@link HttpPoolRequestMetrics}). Recording there rather than in
 * the {@code WebClient}, the {@code RestClient} or the Reactor Netty client measures both
 * clients and HTTP service groups with one implementation, sees every retry as an attempt
 * of its own, and needs no hook of its own. A client whose timer the registry denies
 * ({@code management.metrics.enable.http.pool=false} or
 * {@code management.metrics.enable.http.pool.requests=false}) gets no recorder: its
 * attempts are counted for the {@code httppools} endpoint and nothing else runs. Define a
 * bean of this type to replace it.
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
	public @Nullable HttpPoolAttemptRecorder attemptRecorder(HttpPoolClientSettings settings) {
		return HttpPoolRequestMetrics.isEnabled(this.registry, settings.name())
				? new HttpPoolRequestMetrics(settings.name(), this.registry) : null;
	}

}
