package io.httppool.autoconfigure;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.httppool.HttpPoolClientSettings;
import io.httppool.HttpPoolProtocol;
import io.httppool.HttpPoolSanitizer;
import io.httppool.HttpPoolSslProvider;
import io.netty.handler.ssl.OpenSsl;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.util.ClassUtils;

/**
 * Checks the values of one client (or of {@code http.pool.defaults}) and names the full
 * key, the value and what is allowed in every failure. Secrets (sensitive header values,
 * a password or a sensitive query parameter in a URL) are masked by
 * {@link HttpPoolSanitizer} before they reach a message.
 *
 * @author http-pool team
 */
final class HttpPoolPropertiesValidator {

	private final @Nullable SslBundles sslBundles;

	HttpPoolPropertiesValidator(@Nullable SslBundles sslBundles) {
		this.sslBundles = sslBundles;
	}

	/**
	 * Validate one client.
	 * @param prefix the key prefix, {@code http.pool.defaults} or
	 * {@code http.pool.clients.<name>}
	 * @param client the bound values
	 * @return the base URL, or {@code null} when none is set
	 * @throws InvalidHttpPoolPropertyException for the first invalid value
	 */
	@Nullable URI validate(String prefix, HttpPoolProperties.Client client) {
		Check check = new Check(prefix);
		URI baseUrl = baseUrl(check, client.getBaseUrl());
		check.atLeast("max-connections", client.getMaxConnections(), 1);
		check.atLeast("pending-acquire-max-count", client.getPendingAcquireMaxCount(), 1);
		check.positive("pending-acquire-timeout", client.getPendingAcquireTimeout());
		check.positive("max-idle-time", client.getMaxIdleTime());
		check.positive("max-life-time", client.getMaxLifeTime());
		check.positiveOrOff("eviction-interval", client.getEvictionInterval(), "for no background eviction");
		HttpPoolProperties.Http2 http2 = client.getHttp2();
		check.atLeast("http2.max-concurrent-streams", http2.getMaxConcurrentStreams(), 1);
		check.atLeast("http2.min-connections", http2.getMinConnections(), 0);
		if (http2.getMinConnections() > client.getMaxConnections()) {
			throw new InvalidHttpPoolPropertyException(prefix + ".http2.min-connections", http2.getMinConnections(),
					"at most max-connections (" + client.getMaxConnections() + ")");
		}
		check.positiveOrOff("http2.ping-ack-timeout", http2.getPingAckTimeout(),
				"to close idle connections without a PING");
		check.atLeast("http2.max-resets-per-connection", http2.getMaxResetsPerConnection(), 0);
		check.positive("connect-timeout", client.getConnectTimeout());
		if (client.getConnectTimeout().toMillis() > Integer.MAX_VALUE) {
			throw new InvalidHttpPoolPropertyException(prefix + ".connect-timeout", client.getConnectTimeout(),
					"at most " + Duration.ofMillis(Integer.MAX_VALUE));
		}
		check.positive("response-timeout", client.getResponseTimeout());
		check.positiveOrOffIfSet("read-timeout", client.getReadTimeout(), "for none");
		check.positiveOrOffIfSet("write-timeout", client.getWriteTimeout(), "for none");
		if (client.getPendingAcquireTimeout().compareTo(client.getResponseTimeout()) > 0) {
			throw new InvalidHttpPoolPropertyException(prefix + ".pending-acquire-timeout",
					client.getPendingAcquireTimeout(), "at most response-timeout (" + client.getResponseTimeout()
							+ ") so that a waiting request" + " fails before an answered one would");
		}
		protocol(check, client.getProtocol(), baseUrl);
		headers(check, client.getDefaultHeaders());
		ssl(check, client.getSsl());
		proxy(check, client.getProxy());
		health(check, client.getHealth());
		retry(check, client.getRetry());
		concurrency(check, client.getConcurrency());
		hedging(check, client.getHedging(), client.getRetry());
		HttpPoolProperties.CircuitBreaker breaker = client.getCircuitBreaker();
		check.atLeast("circuit-breaker.consecutive-failures", breaker.getConsecutiveFailures(), 1);
		check.positive("circuit-breaker.open-duration", breaker.getOpenDuration());
		check.positive("circuit-breaker.initial-open-duration", breaker.getInitialOpenDuration());
		check.atLeast("circuit-breaker.half-open-calls", breaker.getHalfOpenCalls(), 1);
		Integer maxConcurrentCalls = client.getBulkhead().getMaxConcurrentCalls();
		if (maxConcurrentCalls != null && maxConcurrentCalls < 0) {
			throw check.invalid("bulkhead.max-concurrent-calls", maxConcurrentCalls,
					"at least 1, or 0 for no bulkhead");
		}
		rateLimit(check, client.getRateLimit());
		check.positiveOrOffIfSet("timeout", client.getTimeout(), "for no deadline");
		return baseUrl;
	}

	private static @Nullable URI baseUrl(Check check, @Nullable String baseUrl) {
		if (baseUrl == null) {
			return null;
		}
		String allowed = "an absolute http:// or https:// URL with a host";
		String shown = HttpPoolSanitizer.sanitize(baseUrl);
		try {
			URI uri = new URI(baseUrl);
			String scheme = uri.getScheme();
			if (!uri.isAbsolute() || uri.getHost() == null
					|| !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
				throw check.invalid("base-url", shown, allowed);
			}
			return uri;
		}
		catch (URISyntaxException ex) {
			throw check.invalid("base-url", shown, allowed);
		}
	}

	private static void protocol(Check check, HttpPoolProtocol protocol, @Nullable URI baseUrl) {
		if (baseUrl == null) {
			return;
		}
		boolean https = "https".equalsIgnoreCase(baseUrl.getScheme());
		if (protocol == HttpPoolProtocol.H2C && https) {
			throw check.invalid("protocol", "h2c", "h2 or auto for the https base-url "
					+ HttpPoolSanitizer.sanitize(baseUrl.toString()) + " (h2c is HTTP/2 over clear text)");
		}
		if (protocol == HttpPoolProtocol.H2 && !https) {
			throw check.invalid("protocol", "h2", "h2c, http1 or auto for the http base-url "
					+ HttpPoolSanitizer.sanitize(baseUrl.toString()) + " (h2 is HTTP/2 over TLS)");
		}
	}

	private static void headers(Check check, Map<String, String> headers) {
		headers.forEach((header, value) -> {
			if (header.isBlank() || containsLineBreak(header)) {
				throw check.invalid("default-headers", header, "a header name without CR or LF");
			}
			if (value != null && containsLineBreak(value)) {
				String shown = HttpPoolSanitizer.isSensitive(header) ? "(a hidden value)"
						: HttpPoolSanitizer.sanitize(value);
				throw check.invalid("default-headers." + header, shown.replace("\r", "\\r").replace("\n", "\\n"),
						"a header value without CR or LF");
			}
		});
	}

	private static boolean containsLineBreak(String text) {
		return text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0;
	}

	private void ssl(Check check, HttpPoolProperties.Ssl ssl) {
		if (ssl.getProvider() == HttpPoolSslProvider.OPENSSL && !OpenSsl.isAvailable()) {
			Throwable cause = OpenSsl.unavailabilityCause();
			throw check.invalid("ssl.provider", "openssl",
					"auto or jdk: OpenSSL does not load here (" + ((cause != null) ? cause.getMessage() : "unknown")
							+ "); it needs io.netty:netty-tcnative-boringssl-static for this platform");
		}
		String bundle = ssl.getBundle();
		if (bundle == null) {
			return;
		}
		if (this.sslBundles == null) {
			throw check.invalid("ssl.bundle", bundle, "the name of a bundle under spring.ssl.bundle (none is defined)");
		}
		try {
			this.sslBundles.getBundle(bundle);
		}
		catch (NoSuchSslBundleException ex) {
			throw check.invalid("ssl.bundle", bundle,
					"the name of a bundle under spring.ssl.bundle " + this.sslBundles.getBundleNames());
		}
	}

	private static void proxy(Check check, HttpPoolProperties.Proxy proxy) {
		if (proxy.getHost() == null) {
			return;
		}
		Integer port = proxy.getPort();
		if (port == null || port < 1 || port > 65535) {
			throw check.invalid("proxy.port", port, "a port from 1 to 65535 when proxy.host is set");
		}
		// one without the other is a credential that did not load (an unset environment
		// variable), not a proxy that wants an empty password; the password is never
		// shown
		if (proxy.getUsername() != null && proxy.getPassword() == null) {
			throw check.invalid("proxy.password", null, "set when proxy.username is set");
		}
		if (proxy.getUsername() == null && proxy.getPassword() != null) {
			throw check.invalid("proxy.username", null, "set when proxy.password is set");
		}
	}

	private static void health(Check check, HttpPoolProperties.Health health) {
		double degraded = health.getDegradedThreshold();
		double unhealthy = health.getUnhealthyThreshold();
		if (!(degraded > 0 && degraded < 1)) {
			throw check.invalid("health.degraded-threshold", degraded, "greater than 0 and less than 1");
		}
		if (!(unhealthy > 0 && unhealthy <= 1)) {
			throw check.invalid("health.unhealthy-threshold", unhealthy, "greater than 0 and at most 1");
		}
		if (degraded >= unhealthy) {
			throw check.invalid("health.degraded-threshold", degraded,
					"below health.unhealthy-threshold (" + unhealthy + ")");
		}
	}

	private static void retry(Check check, HttpPoolProperties.Retry retry) {
		check.atLeast("retry.max-attempts", retry.getMaxAttempts(), 1);
		check.positive("retry.initial-backoff", retry.getInitialBackoff());
		check.positive("retry.max-backoff", retry.getMaxBackoff());
		if (retry.getMaxBackoff().compareTo(retry.getInitialBackoff()) < 0) {
			throw check.invalid("retry.max-backoff", retry.getMaxBackoff(),
					"at least retry.initial-backoff (" + retry.getInitialBackoff() + ")");
		}
		if (!(retry.getMultiplier() >= 1.0)) {
			throw check.invalid("retry.multiplier", retry.getMultiplier(), "at least 1.0");
		}
		if (!(retry.getJitter() >= 0.0 && retry.getJitter() <= 1.0)) {
			throw check.invalid("retry.jitter", retry.getJitter(), "from 0.0 to 1.0");
		}
		if (!(retry.getBudget() >= 0.0)) {
			throw check.invalid("retry.budget", retry.getBudget(), "at least 0.0");
		}
		for (Integer status : retry.getOnStatuses()) {
			if (status == null || status < 100 || status > 599) {
				throw check.invalid("retry.on-statuses", retry.getOnStatuses(), "HTTP status codes from 100 to 599");
			}
		}
	}

	private static void rateLimit(Check check, HttpPoolProperties.RateLimit rateLimit) {
		Integer requests = rateLimit.getRequestsPerPeriod();
		if (requests != null) {
			check.atLeast("rate-limit.requests-per-period", requests, 1);
		}
		check.positive("rate-limit.period", rateLimit.getPeriod());
		check.positive("rate-limit.max-wait", rateLimit.getMaxWait());
		check.atLeast("rate-limit.max-queued", rateLimit.getMaxQueued(), 1);
		check.atLeast("rate-limit.replicas", rateLimit.getReplicas(), 1);
		if (requests != null && rateLimit.getReplicas() > requests) {
			throw check.invalid("rate-limit.replicas", rateLimit.getReplicas(),
					"at most rate-limit.requests-per-period (" + requests + "), so that each replica's share"
							+ " is at least one request");
		}
		if (rateLimit.getKey() != null && rateLimit.getKey().isBlank()) {
			throw check.invalid("rate-limit.key", rateLimit.getKey(), "a non-blank Redis key");
		}
		if (!rateLimit.isEnabled()) {
			return;
		}
		ClassLoader classLoader = ClassUtils.getDefaultClassLoader();
		if (!ClassUtils.isPresent("io.github.bucket4j.Bucket", classLoader)) {
			throw check.invalid("rate-limit.enabled", true,
					"false, unless com.bucket4j:bucket4j_jdk17-core is on the classpath (the starter brings it)");
		}
		if (rateLimit.getStore() == HttpPoolClientSettings.RateLimitStore.REDIS
				&& !(ClassUtils.isPresent("io.lettuce.core.RedisClient", classLoader)
						&& ClassUtils.isPresent("io.github.bucket4j.redis.lettuce.Bucket4jLettuce", classLoader))) {
			throw check.invalid("rate-limit.store", "redis", "local, unless io.lettuce:lettuce-core and"
					+ " com.bucket4j:bucket4j_jdk17-lettuce are on the classpath");
		}
	}

	private static void concurrency(Check check, HttpPoolProperties.Concurrency concurrency) {
		check.atLeast("concurrency.initial-limit", concurrency.getInitialLimit(), 1);
		if (concurrency.getMaxLimit() < concurrency.getInitialLimit()) {
			throw check.invalid("concurrency.max-limit", concurrency.getMaxLimit(),
					"at least concurrency.initial-limit (" + concurrency.getInitialLimit() + ")");
		}
	}

	private static void hedging(Check check, HttpPoolProperties.Hedging hedging, HttpPoolProperties.Retry retry) {
		check.positiveIfSet("hedging.delay", hedging.getDelay());
		if (!hedging.isEnabled()) {
			return;
		}
		if (!(retry.isEnabled() && retry.getBudget() > 0.0)) {
			throw check.invalid("hedging.enabled", true,
					"false unless retry.enabled is true and retry.budget is above 0 (was " + retry.isEnabled() + " and "
							+ retry.getBudget() + "): hedges take their permits from the retry budget");
		}
		ClassLoader classLoader = ClassUtils.getDefaultClassLoader();
		List<String> missing = new ArrayList<>();
		if (!ClassUtils.isPresent("io.github.resilience4j.retry.Retry", classLoader) || !ClassUtils
			.isPresent("io.github.resilience4j.common.retry.configuration.RetryConfigCustomizer", classLoader)) {
			missing.add("Resilience4j (io.github.resilience4j:resilience4j-spring-boot4), whose retry budget"
					+ " bounds the hedges");
		}
		if (!ClassUtils.isPresent("org.HdrHistogram.Recorder", classLoader)) {
			missing.add("HdrHistogram (org.hdrhistogram:HdrHistogram), which estimates the delay");
		}
		if (!missing.isEmpty()) {
			throw check.invalid("hedging.enabled", true, "false, unless " + String.join(" and ", missing)
					+ ((missing.size() > 1) ? " are" : " is") + " on the classpath (the starter brings both)");
		}
	}

	/**
	 * Checks values of one client, naming the full key in every failure.
	 */
	private record Check(String prefix) {

		void atLeast(String key, int value, int min) {
			if (value < min) {
				throw invalid(key, value, "at least " + min);
			}
		}

		void positive(String key, @Nullable Duration value) {
			if (value == null || value.isNegative() || value.isZero()) {
				throw invalid(key, value, "a positive duration");
			}
		}

		void positiveIfSet(String key, @Nullable Duration value) {
			if (value != null) {
				positive(key, value);
			}
		}

		/**
		 * A duration where 0 switches the thing off (the convention of every key that can
		 * be off, docs/properties.md).
		 */
		void positiveOrOff(String key, @Nullable Duration value, String whatZeroMeans) {
			if (value == null || value.isNegative()) {
				throw invalid(key, value, "a positive duration, or 0 " + whatZeroMeans);
			}
		}

		void positiveOrOffIfSet(String key, @Nullable Duration value, String whatZeroMeans) {
			if (value != null) {
				positiveOrOff(key, value, whatZeroMeans);
			}
		}

		InvalidHttpPoolPropertyException invalid(String key, @Nullable Object value, String allowed) {
			return new InvalidHttpPoolPropertyException(this.prefix + "." + key, value, allowed);
		}

	}

}
