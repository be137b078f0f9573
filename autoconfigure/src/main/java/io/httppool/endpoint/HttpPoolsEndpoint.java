package io.httppool.endpoint;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import io.httppool.HttpPoolClient;
import io.httppool.HttpPoolClients;
import io.httppool.HttpPoolState;
import io.httppool.health.CircuitBreakerStates;
import io.httppool.ratelimit.RateLimitState;
import io.httppool.ratelimit.RateLimitStates;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * {@link Endpoint @Endpoint} {@code httppools}: every client with its effective settings
 * (defaults merged, secrets masked) and its pool's live state. Reads local state only,
 * never the network. Read-only unless
 * {@code management.endpoint.httppools.access=unrestricted}, which enables the write
 * operation of {@link HttpPoolsEndpointWebExtension} that resizes a pool.
 *
 * @author http-pool team
 * @since 0.1.0
 * @see HttpPoolsEndpointWebExtension
 */
@Endpoint(id = HttpPoolsEndpoint.ID, defaultAccess = Access.READ_ONLY)
public class HttpPoolsEndpoint {

	/**
	 * Endpoint id, also its path under the actuator base path.
	 */
	public static final String ID = "httppools";

	private final HttpPoolClients clients;

	private final CircuitBreakerStates circuitBreakerStates;

	private final @Nullable RateLimitStates rateLimitStates;

	private final Function<String, @Nullable Integer> concurrencyLimits;

	/**
	 * Create an endpoint that shows no circuit breaker state.
	 * @param clients the clients
	 */
	public HttpPoolsEndpoint(HttpPoolClients clients) {
		this(clients, (name) -> null);
	}

	/**
	 * Create an endpoint.
	 * @param clients the clients
	 * @param circuitBreakerStates the states of the clients' circuit breakers, the same
	 * lookup the health indicators use
	 */
	public HttpPoolsEndpoint(HttpPoolClients clients, CircuitBreakerStates circuitBreakerStates) {
		this(clients, circuitBreakerStates, null, (name) -> null);
	}

	/**
	 * Create an endpoint.
	 * @param clients the clients
	 * @param circuitBreakerStates the states of the clients' circuit breakers, the same
	 * lookup the health indicators use
	 * @param rateLimitStates where to read each client's rate limiter state, or
	 * {@code null} for none
	 * @param concurrencyLimits the current adaptive concurrency limit of the client of
	 * the given name, or {@code null} when it has none; must be local, cheap and never
	 * throw
	 */
	public HttpPoolsEndpoint(HttpPoolClients clients, CircuitBreakerStates circuitBreakerStates,
			@Nullable RateLimitStates rateLimitStates, Function<String, @Nullable Integer> concurrencyLimits) {
		this.clients = clients;
		this.circuitBreakerStates = circuitBreakerStates;
		this.rateLimitStates = rateLimitStates;
		this.concurrencyLimits = concurrencyLimits;
	}

	/**
	 * Describe every client, in configuration order.
	 * @return the clients by name
	 */
	@ReadOperation
	public HttpPoolsDescriptor pools() {
		Map<String, HttpPoolDescriptor> pools = new LinkedHashMap<>();
		this.clients.all().forEach((client) -> pools.put(client.name(), describe(client)));
		return new HttpPoolsDescriptor(pools);
	}

	/**
	 * Describe the client of the given name.
	 * @param name the client name
	 * @return the client, or {@code null} if no client has that name
	 */
	@ReadOperation
	public @Nullable HttpPoolDescriptor pool(@Selector String name) {
		HttpPoolClient client = this.clients.find(name);
		return (client != null) ? describe(client) : null;
	}

	HttpPoolClients clients() {
		return this.clients;
	}

	private HttpPoolDescriptor describe(HttpPoolClient client) {
		HttpPoolState state = client.state();
		return new HttpPoolDescriptor(client.name(), EffectiveSettings.describe(client.settings()),
				StateDescriptor.of(state, circuitBreakerState(client.name()), rateLimitState(client.name()),
						concurrencyLimit(client.name())));
	}

	private @Nullable Map<String, Object> rateLimitState(String name) {
		if (this.rateLimitStates == null) {
			return null;
		}
		RateLimitState state = this.rateLimitStates.stateOf(name);
		return (state != null) ? state.toDetails() : null;
	}

	private @Nullable String circuitBreakerState(String name) {
		try {
			return this.circuitBreakerStates.stateOf(name);
		}
		catch (RuntimeException ex) {
			// The endpoint must answer even if a breaker lookup misbehaves
			return "UNKNOWN";
		}
	}

	private @Nullable Integer concurrencyLimit(String name) {
		try {
			return this.concurrencyLimits.apply(name);
		}
		catch (RuntimeException ex) {
			// The endpoint must answer even if a limit lookup misbehaves
			return null;
		}
	}

	/**
	 * Every client, by name in configuration order.
	 *
	 * @param clients the clients
	 */
	public record HttpPoolsDescriptor(Map<String, HttpPoolDescriptor> clients) implements OperationResponseBody {

	}

	/**
	 * One client.
	 *
	 * @param name the client name
	 * @param settings the effective settings, keyed like
	 * {@code http.pool.clients.<name>.*}, secrets masked
	 * @param state the pool's live state
	 */
	public record HttpPoolDescriptor(String name, Map<String, Object> settings,
			StateDescriptor state) implements OperationResponseBody {

	}

	/**
	 * Live state of one pool: the numbers of {@link HttpPoolState}, with the same keys as
	 * the {@code httpPools} health details.
	 *
	 * @param protocol {@code HTTP/2} or {@code HTTP/1.1}
	 * @param activeConnections connections carrying at least one request
	 * @param idleConnections open connections carrying no request
	 * @param pendingAcquires requests waiting for a connection or a stream
	 * @param maxConnections the configured maximum of connections
	 * @param activeStreams HTTP/2 streams in flight, {@code null} for HTTP/1.1
	 * @param maxConcurrentStreams the configured maximum of streams per connection,
	 * {@code null} for HTTP/1.1
	 * @param utilization share of the pool's capacity in use, from 0 to 1
	 * @param circuitBreaker state of the client's circuit breaker, {@code null} without
	 * one
	 * @param requests attempts that ended since start, answered or failed, retries
	 * included: the count of the {@code http.pool.requests} timer, from the same event
	 * @param connectionsOpened TCP connections opened since start
	 * @param reuseRatio share of requests that reused an open connection, from 0 to 1
	 * @param rateLimit the client's rate limiter state, {@code null} without
	 * {@code rate-limit.enabled}; keyed like the {@code rateLimit} health detail
	 * @param concurrencyLimit current adaptive limit of attempts in flight
	 * ({@code concurrency.adaptive}), {@code null} without one
	 */
	public record StateDescriptor(String protocol, int activeConnections, int idleConnections, int pendingAcquires,
			int maxConnections, @Nullable Integer activeStreams, @Nullable Integer maxConcurrentStreams,
			double utilization, @Nullable String circuitBreaker, long requests, long connectionsOpened,
			double reuseRatio, @Nullable Map<String, Object> rateLimit, @Nullable Integer concurrencyLimit) {

		static StateDescriptor of(HttpPoolState state, @Nullable String circuitBreaker,
				@Nullable Map<String, Object> rateLimit, @Nullable Integer concurrencyLimit) {
			return new StateDescriptor(state.protocolName(), state.activeConnections(), state.idleConnections(),
					state.pendingAcquires(), state.maxConnections(), state.http2() ? state.activeStreams() : null,
					state.http2() ? state.maxConcurrentStreams() : null, state.utilization(), circuitBreaker,
					state.requests(), state.connectionsOpened(), state.reuseRatio(), rateLimit, concurrencyLimit);
		}

	}

}
