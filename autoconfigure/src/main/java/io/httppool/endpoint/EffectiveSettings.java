package io.httppool.endpoint;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import io.httppool.HttpPoolClientSettings;
import io.httppool.HttpPoolSanitizer;
import org.jspecify.annotations.Nullable;

/**
 * Renders a client's effective settings with the keys of
 * {@code http.pool.clients.<name>.*}, so that the JSON reads like the configuration.
 * Durations use the short form the properties accept ({@code 5s}, {@code 200ms}). Unset
 * optional values are left out. Secrets never leave: sensitive default headers, the proxy
 * password, user info in the base URL and sensitive query parameters are masked by
 * {@link HttpPoolSanitizer}.
 */
final class EffectiveSettings {

	private static final List<ChronoUnit> UNITS = List.of(ChronoUnit.DAYS, ChronoUnit.HOURS, ChronoUnit.MINUTES,
			ChronoUnit.SECONDS, ChronoUnit.MILLIS);

	private static final Map<ChronoUnit, String> SUFFIXES = Map.of(ChronoUnit.DAYS, "d", ChronoUnit.HOURS, "h",
			ChronoUnit.MINUTES, "m", ChronoUnit.SECONDS, "s", ChronoUnit.MILLIS, "ms");

	private EffectiveSettings() {
	}

	static Map<String, Object> describe(HttpPoolClientSettings settings) {
		Map<String, Object> result = new LinkedHashMap<>();
		put(result, "base-url",
				(settings.baseUrl() != null) ? HttpPoolSanitizer.sanitize(settings.baseUrl().toString()) : null);
		result.put("default-headers", settings.maskedDefaultHeaders());
		result.put("protocol", settings.protocol().name().toLowerCase(Locale.ROOT));
		HttpPoolClientSettings.Pool pool = settings.pool();
		result.put("max-connections", pool.maxConnections());
		result.put("pending-acquire-max-count", pool.pendingAcquireMaxCount());
		result.put("pending-acquire-timeout", format(pool.pendingAcquireTimeout()));
		result.put("max-idle-time", format(pool.maxIdleTime()));
		result.put("max-life-time", format(pool.maxLifeTime()));
		result.put("eviction-interval", format(pool.evictionInterval()));
		result.put("leasing-strategy", pool.leasingStrategy().name().toLowerCase(Locale.ROOT));
		result.put("http2", http2(settings.http2()));
		HttpPoolClientSettings.Timeouts timeouts = settings.timeouts();
		result.put("connect-timeout", format(timeouts.connectTimeout()));
		result.put("response-timeout", format(timeouts.responseTimeout()));
		put(result, "read-timeout", format(timeouts.readTimeout()));
		put(result, "write-timeout", format(timeouts.writeTimeout()));
		result.put("ssl", ssl(settings.ssl()));
		result.put("compression", settings.compression());
		result.put("follow-redirects", settings.followRedirects());
		result.put("wiretap", settings.wiretap());
		put(result, "proxy", (settings.proxy() != null) ? proxy(settings.proxy()) : null);
		Map<String, Object> health = new LinkedHashMap<>();
		health.put("degraded-threshold", settings.health().degradedThreshold());
		health.put("unhealthy-threshold", settings.health().unhealthyThreshold());
		result.put("health", health);
		result.put("retry", retry(settings.retry()));
		result.put("circuit-breaker", circuitBreaker(settings.circuitBreaker()));
		Map<String, Object> bulkhead = new LinkedHashMap<>();
		put(bulkhead, "max-concurrent-calls", settings.bulkhead().maxConcurrentCalls());
		result.put("bulkhead", bulkhead);
		put(result, "timeout", format(settings.timeout()));
		return result;
	}

	private static Map<String, Object> http2(HttpPoolClientSettings.Http2 http2) {
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("max-concurrent-streams", http2.maxConcurrentStreams());
		result.put("min-connections", http2.minConnections());
		put(result, "ping-ack-timeout", format(http2.pingAckTimeout()));
		result.put("max-resets-per-connection", http2.maxResetsPerConnection());
		return result;
	}

	private static Map<String, Object> ssl(HttpPoolClientSettings.Ssl ssl) {
		// Only the bundle's name: its trust and key material stay in the SslBundles.
		Map<String, Object> result = new LinkedHashMap<>();
		put(result, "bundle", ssl.bundle());
		result.put("trust-all", ssl.trustAll());
		result.put("provider", ssl.provider().name().toLowerCase(Locale.ROOT));
		return result;
	}

	private static Map<String, Object> proxy(HttpPoolClientSettings.Proxy proxy) {
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("type", proxy.type().name().toLowerCase(Locale.ROOT));
		result.put("host", proxy.host());
		result.put("port", proxy.port());
		put(result, "non-proxy-hosts", proxy.nonProxyHosts());
		put(result, "username", proxy.username());
		put(result, "password", (proxy.password() != null) ? HttpPoolSanitizer.MASK : null);
		return result;
	}

	private static Map<String, Object> retry(HttpPoolClientSettings.Retry retry) {
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("enabled", retry.enabled());
		result.put("max-attempts", retry.maxAttempts());
		result.put("initial-backoff", format(retry.initialBackoff()));
		result.put("multiplier", retry.multiplier());
		result.put("max-backoff", format(retry.maxBackoff()));
		result.put("jitter", retry.jitter());
		result.put("on-statuses", new TreeSet<>(retry.onStatuses()));
		result.put("budget", retry.budget());
		return result;
	}

	private static Map<String, Object> circuitBreaker(HttpPoolClientSettings.CircuitBreaker circuitBreaker) {
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("enabled", circuitBreaker.enabled());
		result.put("consecutive-failures", circuitBreaker.consecutiveFailures());
		result.put("initial-open-duration", format(circuitBreaker.initialOpenDuration()));
		result.put("open-duration", format(circuitBreaker.openDuration()));
		result.put("half-open-calls", circuitBreaker.halfOpenCalls());
		return result;
	}

	private static void put(Map<String, Object> map, String key, @Nullable Object value) {
		if (value != null) {
			map.put(key, value);
		}
	}

	/**
	 * Format a duration in the largest unit that holds it exactly, as the properties
	 * accept it ({@code 5s}, {@code 200ms}, {@code 1m}).
	 * @param duration the duration, or {@code null}
	 * @return the text, or {@code null}
	 */
	static @Nullable String format(@Nullable Duration duration) {
		if (duration == null) {
			return null;
		}
		if (duration.isZero()) {
			return "0s";
		}
		try {
			long nanos = duration.toNanos();
			for (ChronoUnit unit : UNITS) {
				long unitNanos = unit.getDuration().toNanos();
				if (nanos % unitNanos == 0) {
					return (nanos / unitNanos) + SUFFIXES.get(unit);
				}
			}
			return nanos + "ns";
		}
		catch (ArithmeticException ex) {
			return duration.toString();
		}
	}

}
