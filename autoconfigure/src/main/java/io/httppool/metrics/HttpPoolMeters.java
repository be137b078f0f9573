package io.httppool.metrics;

import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The one place that names every meter of http-pool, with its tags and unit. Prometheus
 * names are given in brackets.
 *
 * <table>
 * <caption>Meters, all tagged {@value #CLIENT}</caption>
 * <tr>
 * <th>Micrometer name</th>
 * <th>Type</th>
 * <th>Unit</th>
 * <th>Prometheus</th>
 * </tr>
 * <tr>
 * <td>{@value #CONNECTIONS_ACTIVE}</td>
 * <td>gauge</td>
 * <td>connections</td>
 * <td>{@code http_pool_connections_active}</td>
 * </tr>
 * <tr>
 * <td>{@value #CONNECTIONS_IDLE}</td>
 * <td>gauge</td>
 * <td>connections</td>
 * <td>{@code http_pool_connections_idle}</td>
 * </tr>
 * <tr>
 * <td>{@value #CONNECTIONS_PENDING}</td>
 * <td>gauge</td>
 * <td>requests</td>
 * <td>{@code http_pool_connections_pending}</td>
 * </tr>
 * <tr>
 * <td>{@value #CONNECTIONS_MAX}</td>
 * <td>gauge</td>
 * <td>connections</td>
 * <td>{@code http_pool_connections_max}</td>
 * </tr>
 * <tr>
 * <td>{@value #STREAMS_ACTIVE}</td>
 * <td>gauge (HTTP/2 clients only)</td>
 * <td>streams</td>
 * <td>{@code http_pool_streams_active}</td>
 * </tr>
 * <tr>
 * <td>{@value #UTILIZATION}</td>
 * <td>gauge</td>
 * <td>ratio, 0 to 1</td>
 * <td>{@code http_pool_utilization}</td>
 * </tr>
 * <tr>
 * <td>{@value #CONNECTIONS_OPENED}</td>
 * <td>function counter</td>
 * <td>connections</td>
 * <td>{@code http_pool_connections_opened_total}</td>
 * </tr>
 * <tr>
 * <td>{@value #REQUESTS}</td>
 * <td>timer, also tagged {@value #METHOD}, {@value #STATUS}, {@value #OUTCOME}</td>
 * <td>seconds</td>
 * <td>{@code http_pool_requests_seconds_count}, {@code _sum}, {@code _bucket},
 * {@code _max}</td>
 * </tr>
 * <tr>
 * <td>{@value #RATE_LIMIT_WAITS}</td>
 * <td>function counter (clients with {@code rate-limit.enabled})</td>
 * <td>calls</td>
 * <td>{@code http_pool_rate_limit_waits_total}</td>
 * </tr>
 * <tr>
 * <td>{@value #RATE_LIMIT_REJECTIONS}</td>
 * <td>function counter (clients with {@code rate-limit.enabled})</td>
 * <td>calls</td>
 * <td>{@code http_pool_rate_limit_rejections_total}</td>
 * </tr>
 * <tr>
 * <td>{@value #RATE_LIMIT_QUEUED}</td>
 * <td>gauge (clients with {@code rate-limit.enabled})</td>
 * <td>calls</td>
 * <td>{@code http_pool_rate_limit_queued}</td>
 * </tr>
 * <tr>
 * <td>{@value #RATE_LIMIT_FALLBACK}</td>
 * <td>gauge (clients with {@code rate-limit.enabled})</td>
 * <td>1 on fallback, 0 otherwise</td>
 * <td>{@code http_pool_rate_limit_fallback}</td>
 * </tr>
 * <tr>
 * <td>{@value #CONCURRENCY_LIMIT}</td>
 * <td>gauge (clients with {@code concurrency.adaptive=true} only)</td>
 * <td>calls</td>
 * <td>{@code http_pool_concurrency_limit}</td>
 * </tr>
 * <tr>
 * <td>{@value #HEDGES}</td>
 * <td>function counter (clients with {@code hedging.enabled=true} only), also tagged
 * {@value #OUTCOME}</td>
 * <td>hedges</td>
 * <td>{@code http_pool_hedges_total}</td>
 * </tr>
 * </table>
 *
 * <p>
 * Only the timer declares a Micrometer base unit. Micrometer's Prometheus naming
 * convention appends the base unit of a gauge or counter to its name (a base unit of
 * {@code connections} would turn {@code http.pool.connections.active} into
 * {@code http_pool_connections_active_connections}), so the unit of the gauges and the
 * counter is stated in their description instead, keeping the Prometheus names above.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public final class HttpPoolMeters {

	/**
	 * Common prefix of every meter name, as used by
	 * {@code management.metrics.enable.http.pool=false}.
	 */
	public static final String PREFIX = "http.pool";

	/**
	 * Gauge: connections carrying at least one request.
	 */
	public static final String CONNECTIONS_ACTIVE = PREFIX + ".connections.active";

	/**
	 * Gauge: open connections carrying no request.
	 */
	public static final String CONNECTIONS_IDLE = PREFIX + ".connections.idle";

	/**
	 * Gauge: requests waiting for a connection (HTTP/1.1) or a stream (HTTP/2).
	 */
	public static final String CONNECTIONS_PENDING = PREFIX + ".connections.pending";

	/**
	 * Gauge: configured {@code max-connections}.
	 */
	public static final String CONNECTIONS_MAX = PREFIX + ".connections.max";

	/**
	 * Gauge, HTTP/2 clients only: streams in flight.
	 */
	public static final String STREAMS_ACTIVE = PREFIX + ".streams.active";

	/**
	 * Gauge: share of the pool's capacity in use, from 0 to 1; the number the health
	 * indicator compares with its thresholds.
	 */
	public static final String UTILIZATION = PREFIX + ".utilization";

	/**
	 * Function counter: TCP connections opened since the client started. With
	 * {@link #REQUESTS}' count, {@code 1 - opened / requests} is the connection reuse
	 * ratio.
	 */
	public static final String CONNECTIONS_OPENED = PREFIX + ".connections.opened";

	/**
	 * Timer: one sample per attempt (retries are separate attempts), from the moment it
	 * asks the pool for a connection until the response headers arrive or it fails.
	 */
	public static final String REQUESTS = PREFIX + ".requests";

	/**
	 * Function counter, clients with {@code rate-limit.enabled} only: calls that waited
	 * for their turn under the upstream's quota.
	 */
	public static final String RATE_LIMIT_WAITS = PREFIX + ".rate.limit.waits";

	/**
	 * Function counter, clients with {@code rate-limit.enabled} only: calls refused with
	 * {@code HttpPoolRateLimitedException} (wait or queue bound exceeded, or the Redis
	 * bucket unreachable with {@code redis-fallback=reject}).
	 */
	public static final String RATE_LIMIT_REJECTIONS = PREFIX + ".rate.limit.rejections";

	/**
	 * Gauge, clients with {@code rate-limit.enabled} only: calls waiting for their turn
	 * now.
	 */
	public static final String RATE_LIMIT_QUEUED = PREFIX + ".rate.limit.queued";

	/**
	 * Gauge, clients with {@code rate-limit.store=redis}: 1 while Redis is unreachable
	 * and calls follow {@code rate-limit.redis-fallback}, 0 otherwise.
	 */
	public static final String RATE_LIMIT_FALLBACK = PREFIX + ".rate.limit.fallback";

	/**
	 * Gauge, clients with {@code concurrency.adaptive=true} only: the current adaptive
	 * limit of attempts in flight; attempts beyond it fail at once.
	 */
	public static final String CONCURRENCY_LIMIT = PREFIX + ".concurrency.limit";

	/**
	 * Function counter, clients with {@code hedging.enabled=true} only, also tagged
	 * {@value #OUTCOME}: {@value #HEDGE_SENT}, {@value #HEDGE_WON} or
	 * {@value #HEDGE_SKIPPED}. {@code won / sent} is the share of hedges that paid off;
	 * {@code skipped} above 0 means the retry budget capped hedging.
	 */
	public static final String HEDGES = PREFIX + ".hedges";

	/**
	 * Every meter name, in the order above.
	 */
	public static final List<String> NAMES = List.of(CONNECTIONS_ACTIVE, CONNECTIONS_IDLE, CONNECTIONS_PENDING,
			CONNECTIONS_MAX, STREAMS_ACTIVE, UTILIZATION, CONNECTIONS_OPENED, REQUESTS, RATE_LIMIT_WAITS,
			RATE_LIMIT_REJECTIONS, RATE_LIMIT_QUEUED, RATE_LIMIT_FALLBACK, CONCURRENCY_LIMIT, HEDGES);

	/**
	 * Tag on every meter: the client name.
	 */
	public static final String CLIENT = "client";

	/**
	 * Tag on {@link #REQUESTS}: the request method ({@code GET}, {@code POST}, ...), or
	 * {@value #OTHER_METHOD} for a non-standard one.
	 */
	public static final String METHOD = "method";

	/**
	 * Tag on {@link #REQUESTS}: the numeric response status, or {@value #STATUS_TIMEOUT},
	 * {@value #STATUS_IO_ERROR} or {@value #STATUS_CLIENT_ERROR} for an attempt that got
	 * no response.
	 */
	public static final String STATUS = "status";

	/**
	 * Tag on {@link #REQUESTS}: Spring Boot's outcome of the status:
	 * {@code INFORMATIONAL}, {@code SUCCESS}, {@code REDIRECTION}, {@code CLIENT_ERROR},
	 * {@code SERVER_ERROR}, or {@code UNKNOWN} for an attempt that got no response. Tag
	 * on {@link #HEDGES}: what became of the hedge ({@value #HEDGE_SENT},
	 * {@value #HEDGE_WON}, {@value #HEDGE_SKIPPED}).
	 */
	public static final String OUTCOME = "outcome";

	/**
	 * {@value #OUTCOME} of {@link #HEDGES}: the delay passed without an answer and the
	 * hedge was sent.
	 */
	public static final String HEDGE_SENT = "sent";

	/**
	 * {@value #OUTCOME} of {@link #HEDGES}: a sent hedge answered first (its attempt was
	 * cancelled).
	 */
	public static final String HEDGE_WON = "won";

	/**
	 * {@value #OUTCOME} of {@link #HEDGES}: the delay passed without an answer but the
	 * retry budget had no permit, so no hedge was sent.
	 */
	public static final String HEDGE_SKIPPED = "skipped";

	/**
	 * {@value #STATUS} of an attempt that ran into a response, connect or pool acquire
	 * timeout.
	 */
	public static final String STATUS_TIMEOUT = "TIMEOUT";

	/**
	 * {@value #STATUS} of an attempt that failed on another transport error (connection
	 * refused or reset, TLS failure, premature close).
	 */
	public static final String STATUS_IO_ERROR = "IO_ERROR";

	/**
	 * {@value #STATUS} of an attempt that failed for any other reason (for example the
	 * pool's pending queue was full).
	 */
	public static final String STATUS_CLIENT_ERROR = "CLIENT_ERROR";

	/**
	 * {@value #METHOD} of a request with a non-standard method.
	 */
	public static final String OTHER_METHOD = "OTHER";

	/**
	 * Service level objective boundaries of {@link #REQUESTS}: each becomes a Prometheus
	 * {@code _bucket} series. Override them with
	 * {@code management.metrics.distribution.slo.http.pool.requests}.
	 */
	public static final List<Duration> REQUEST_SLO_BOUNDARIES = List.of(Duration.ofMillis(5), Duration.ofMillis(10),
			Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
			Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
			Duration.ofSeconds(10), Duration.ofSeconds(30));

	private HttpPoolMeters() {
	}

	/**
	 * Remove every meter of the given client from the registry.
	 * @param registry the registry
	 * @param clientName the client name
	 */
	public static void remove(MeterRegistry registry, String clientName) {
		for (String name : NAMES) {
			for (Meter meter : registry.find(name).tag(CLIENT, clientName).meters()) {
				registry.remove(meter);
			}
		}
	}

}
