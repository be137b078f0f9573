package io.httppool.health;

import io.httppool.HttpPoolClient;
import io.httppool.HttpPoolClientSettings;
import io.httppool.HttpPoolState;
import io.httppool.ratelimit.RateLimitState;
import io.httppool.ratelimit.RateLimitStates;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of one client's connection pool, from its utilization (see
 * {@link HttpPoolState#utilization()}) and the client's thresholds: {@code UP} below
 * {@code health.degraded-threshold}, {@link #DEGRADED} from it, {@code DOWN} from
 * {@code health.unhealthy-threshold}.
 *
 * <p>
 * The indicator reads the pool's local counters only: it never makes a network call,
 * never blocks and never throws. Should reading the state fail anyway, it reports
 * {@code UNKNOWN} with an {@value #ERROR} detail rather than {@code DOWN}, because a
 * failure to read counters says nothing about the upstream.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public final class HttpPoolHealthIndicator implements HealthIndicator {

	/**
	 * Status of a pool whose utilization reached {@code health.degraded-threshold} but
	 * not {@code health.unhealthy-threshold}: it still serves requests, with little
	 * headroom left. Ordered between {@code OUT_OF_SERVICE} and {@code UP} and answered
	 * with HTTP 200.
	 */
	public static final Status DEGRADED = new Status("DEGRADED");

	/**
	 * Detail: protocol the pool speaks, {@code HTTP/2} or {@code HTTP/1.1}.
	 */
	public static final String PROTOCOL = "protocol";

	/**
	 * Detail: connections carrying at least one request.
	 */
	public static final String ACTIVE_CONNECTIONS = "activeConnections";

	/**
	 * Detail: open connections carrying no request.
	 */
	public static final String IDLE_CONNECTIONS = "idleConnections";

	/**
	 * Detail: requests waiting for a connection (HTTP/1.1) or a stream (HTTP/2).
	 */
	public static final String PENDING_ACQUIRES = "pendingAcquires";

	/**
	 * Detail: configured {@code max-connections}.
	 */
	public static final String MAX_CONNECTIONS = "maxConnections";

	/**
	 * Detail: share of the pool's capacity in use, from 0 to 1 (1 as soon as a request
	 * waits).
	 */
	public static final String UTILIZATION = "utilization";

	/**
	 * Detail (HTTP/2 only): streams in flight.
	 */
	public static final String ACTIVE_STREAMS = "activeStreams";

	/**
	 * Detail (HTTP/2 only): configured {@code http2.max-concurrent-streams}.
	 */
	public static final String MAX_CONCURRENT_STREAMS = "maxConcurrentStreams";

	/**
	 * Detail (Resilience4j present and a breaker registered under the client's name):
	 * state of the client's circuit breaker.
	 */
	public static final String CIRCUIT_BREAKER = "circuitBreaker";

	/**
	 * Detail (clients with {@code rate-limit.enabled}): the rate limiter's state, keyed
	 * as {@link RateLimitState#toDetails()} says. A client whose shared rate-limit store
	 * is unreachable (on its {@code rate-limit.redis-fallback}) reports {@link #DEGRADED}
	 * at least.
	 */
	public static final String RATE_LIMIT = "rateLimit";

	/**
	 * Detail: why the state could not be read (status {@code UNKNOWN}); never present in
	 * normal operation.
	 */
	public static final String ERROR = "error";

	private final HttpPoolClient client;

	private final @Nullable CircuitBreakerStates circuitBreakerStates;

	private final @Nullable RateLimitStates rateLimitStates;

	/**
	 * Create an indicator without circuit breaker details.
	 * @param client the client
	 */
	public HttpPoolHealthIndicator(HttpPoolClient client) {
		this(client, null);
	}

	/**
	 * Create an indicator.
	 * @param client the client
	 * @param circuitBreakerStates where to read the state of the client's circuit
	 * breaker, or {@code null} for no {@value #CIRCUIT_BREAKER} detail
	 */
	public HttpPoolHealthIndicator(HttpPoolClient client, @Nullable CircuitBreakerStates circuitBreakerStates) {
		this(client, circuitBreakerStates, null);
	}

	/**
	 * Create an indicator.
	 * @param client the client
	 * @param circuitBreakerStates where to read the state of the client's circuit
	 * breaker, or {@code null} for no {@value #CIRCUIT_BREAKER} detail
	 * @param rateLimitStates where to read the state of the client's rate limiter, or
	 * {@code null} for no {@value #RATE_LIMIT} detail
	 */
	public HttpPoolHealthIndicator(HttpPoolClient client, @Nullable CircuitBreakerStates circuitBreakerStates,
			@Nullable RateLimitStates rateLimitStates) {
		this.client = client;
		this.circuitBreakerStates = circuitBreakerStates;
		this.rateLimitStates = rateLimitStates;
	}

	@Override
	public Health health() {
		try {
			HttpPoolState state = this.client.state();
			RateLimitState rateLimit = (this.rateLimitStates != null) ? this.rateLimitStates.stateOf(this.client.name())
					: null;
			Status status = status(state.utilization(), this.client.settings().health());
			if (rateLimit != null && rateLimit.fallback() && status == Status.UP) {
				status = DEGRADED;
			}
			Health.Builder builder = Health.status(status)
				.withDetail(PROTOCOL, state.protocolName())
				.withDetail(ACTIVE_CONNECTIONS, state.activeConnections())
				.withDetail(IDLE_CONNECTIONS, state.idleConnections())
				.withDetail(PENDING_ACQUIRES, state.pendingAcquires())
				.withDetail(MAX_CONNECTIONS, state.maxConnections())
				.withDetail(UTILIZATION, state.utilization());
			if (state.http2()) {
				builder.withDetail(ACTIVE_STREAMS, state.activeStreams())
					.withDetail(MAX_CONCURRENT_STREAMS, state.maxConcurrentStreams());
			}
			String breaker = circuitBreakerState();
			if (breaker != null) {
				builder.withDetail(CIRCUIT_BREAKER, breaker);
			}
			if (rateLimit != null) {
				builder.withDetail(RATE_LIMIT, rateLimit.toDetails());
			}
			return builder.build();
		}
		catch (RuntimeException ex) {
			return Health.unknown().withDetail(ERROR, String.valueOf(ex)).build();
		}
	}

	private @Nullable String circuitBreakerState() {
		return (this.circuitBreakerStates != null) ? this.circuitBreakerStates.stateOf(this.client.name()) : null;
	}

	/**
	 * Return the status of a pool with the given utilization.
	 * @param utilization the utilization, from 0 to 1
	 * @param thresholds the client's thresholds
	 * @return {@code UP}, {@link #DEGRADED} or {@code DOWN}
	 */
	public static Status status(double utilization, HttpPoolClientSettings.Health thresholds) {
		if (utilization >= thresholds.unhealthyThreshold()) {
			return Status.DOWN;
		}
		if (utilization >= thresholds.degradedThreshold()) {
			return DEGRADED;
		}
		return Status.UP;
	}

}
