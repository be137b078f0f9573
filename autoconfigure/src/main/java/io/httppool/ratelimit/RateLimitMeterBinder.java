package io.httppool.ratelimit;

import io.httppool.metrics.HttpPoolMeters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Binds the rate-limit meters of every client with {@code rate-limit.enabled} (see
 * {@link HttpPoolMeters#RATE_LIMIT_WAITS} and the following), read from the limiters'
 * counters when the registry asks. Bound once all singletons exist, so every client's
 * limiter is built by then.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public class RateLimitMeterBinder implements MeterBinder {

	private final HttpPoolRateLimitCustomizer limiters;

	/**
	 * Create a binder.
	 * @param limiters the customizer holding every client's limiter
	 */
	public RateLimitMeterBinder(HttpPoolRateLimitCustomizer limiters) {
		this.limiters = limiters;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (HttpPoolRateLimiter limiter : this.limiters.limiters()) {
			Tags tags = Tags.of(HttpPoolMeters.CLIENT, limiter.clientName());
			FunctionCounter.builder(HttpPoolMeters.RATE_LIMIT_WAITS, limiter, HttpPoolRateLimiter::waits)
				.description("Calls that waited for their turn under the upstream's quota (calls)")
				.tags(tags)
				.register(registry);
			FunctionCounter.builder(HttpPoolMeters.RATE_LIMIT_REJECTIONS, limiter, HttpPoolRateLimiter::rejections)
				.description(
						"Calls refused by the rate limit: wait or queue bound exceeded, or store unreachable (calls)")
				.tags(tags)
				.register(registry);
			Gauge.builder(HttpPoolMeters.RATE_LIMIT_QUEUED, limiter, HttpPoolRateLimiter::queued)
				.description("Calls waiting for their turn under the upstream's quota (calls)")
				.tags(tags)
				.register(registry);
			Gauge.builder(HttpPoolMeters.RATE_LIMIT_FALLBACK, limiter, (l) -> l.isOnFallback() ? 1 : 0)
				.description("1 while the shared rate-limit store is unreachable and calls follow"
						+ " rate-limit.redis-fallback, 0 otherwise")
				.tags(tags)
				.register(registry);
		}
	}

}
