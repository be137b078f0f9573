package io.httppool;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Effective, validated settings of one named client: {@code http.pool.defaults} with
 * {@code http.pool.clients.<name>} layered on top. Immutable; {@link #toString()} masks
 * secrets as {@link HttpPoolSanitizer} decides.
 *
 * @param name the client name, also the pool name and the Resilience4j instance name
 * @param baseUrl absolute {@code http} or {@code https} URL every relative request
 * resolves against, or {@code null} for none; its user info is sent as an
 * {@code Authorization: Basic} header (unless {@code Authorization} is a default header)
 * and never reaches Spring or Reactor Netty as part of a URL
 * @param defaultHeaders headers sent with every request, in configuration order
 * @param protocol the protocol to speak
 * @param pool connection pool settings
 * @param http2 HTTP/2 settings
 * @param timeouts transport timeouts
 * @param ssl TLS settings
 * @param proxy proxy settings, or {@code null} for a direct connection
 * @param compression whether to ask for compressed responses
 * @param followRedirects whether to follow redirects
 * @param wiretap whether to log connection events and sizes at DEBUG (never the bytes)
 * @param health health thresholds
 * @param retry retry settings
 * @param circuitBreaker circuit breaker settings
 * @param bulkhead bulkhead settings
 * @param timeout total deadline across all attempts and backoffs, or {@code null} for
 * none
 * @param rateLimit provider quota settings
 * @param concurrency adaptive concurrency limit settings
 * @param hedging hedged request settings
 * @author http-pool team
 * @since 0.1.0
 */
public record HttpPoolClientSettings(String name, @Nullable URI baseUrl, Map<String, String> defaultHeaders,
		HttpPoolProtocol protocol, Pool pool, Http2 http2, Timeouts timeouts, Ssl ssl, @Nullable Proxy proxy,
		boolean compression, boolean followRedirects, boolean wiretap, Health health, Retry retry,
		CircuitBreaker circuitBreaker, Bulkhead bulkhead, @Nullable Duration timeout, RateLimit rateLimit,
		Concurrency concurrency, Hedging hedging) {

	public HttpPoolClientSettings {
		defaultHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(defaultHeaders));
	}

	/**
	 * Whether this client's pool is built for HTTP/2 (negotiated or with prior
	 * knowledge): its connections carry multiplexed streams. The one rule that the
	 * transport, the pool state and the meters share. With {@link HttpPoolProtocol#AUTO}
	 * that is the case for an {@code https} base URL, and for a client without a base URL
	 * (its requests may go to {@code https} URLs, where HTTP/2 is negotiated).
	 * @return whether the pool holds HTTP/2 connections
	 */
	public boolean isHttp2() {
		return switch (this.protocol) {
			case H2, H2C -> true;
			case HTTP1 -> false;
			case AUTO -> this.baseUrl == null || "https".equalsIgnoreCase(this.baseUrl.getScheme());
		};
	}

	/**
	 * Return these settings with other pool sizes, the ones a pool can be resized to at
	 * runtime.
	 * @param maxConnections the new {@code max-connections}
	 * @param pendingAcquireMaxCount the new {@code pending-acquire-max-count}
	 * @param maxConcurrentStreams the new {@code http2.max-concurrent-streams}
	 * @return the new settings
	 * @since 0.2.0
	 */
	public HttpPoolClientSettings withPoolSizes(int maxConnections, int pendingAcquireMaxCount,
			int maxConcurrentStreams) {
		Pool pool = new Pool(maxConnections, pendingAcquireMaxCount, this.pool.pendingAcquireTimeout(),
				this.pool.maxIdleTime(), this.pool.maxLifeTime(), this.pool.evictionInterval(),
				this.pool.leasingStrategy());
		Http2 http2 = new Http2(maxConcurrentStreams, this.http2.minConnections(), this.http2.pingAckTimeout(),
				this.http2.maxResetsPerConnection());
		return new HttpPoolClientSettings(this.name, this.baseUrl, this.defaultHeaders, this.protocol, pool, http2,
				this.timeouts, this.ssl, this.proxy, this.compression, this.followRedirects, this.wiretap, this.health,
				this.retry, this.circuitBreaker, this.bulkhead, this.timeout, this.rateLimit, this.concurrency,
				this.hedging);
	}

	/**
	 * Default headers with the values of sensitive ones (authorization, cookies, keys,
	 * tokens, secrets) replaced by a mask, for logs and endpoints.
	 * @return the masked headers
	 * @see HttpPoolSanitizer#sanitizeHeaders(Map)
	 */
	public Map<String, String> maskedDefaultHeaders() {
		return HttpPoolSanitizer.sanitizeHeaders(this.defaultHeaders);
	}

	@Override
	public String toString() {
		return "HttpPoolClientSettings[name=" + this.name + ", baseUrl="
				+ ((this.baseUrl != null) ? HttpPoolSanitizer.sanitize(this.baseUrl.toString()) : null)
				+ ", defaultHeaders=" + maskedDefaultHeaders() + ", protocol=" + this.protocol + ", pool=" + this.pool
				+ ", http2=" + this.http2 + ", timeouts=" + this.timeouts + ", ssl=" + this.ssl + ", proxy="
				+ this.proxy + ", compression=" + this.compression + ", followRedirects=" + this.followRedirects
				+ ", wiretap=" + this.wiretap + ", health=" + this.health + ", retry=" + this.retry
				+ ", circuitBreaker=" + this.circuitBreaker + ", bulkhead=" + this.bulkhead + ", timeout="
				+ this.timeout + ", rateLimit=" + this.rateLimit + ", concurrency=" + this.concurrency + ", hedging="
				+ this.hedging + "]";
	}

	/**
	 * Connection pool settings.
	 *
	 * @param maxConnections maximum connections to one remote address
	 * @param pendingAcquireMaxCount maximum requests waiting for a connection (HTTP/1.1)
	 * or a stream (HTTP/2); beyond it a request fails at once
	 * @param pendingAcquireTimeout how long a request may wait for a connection or a
	 * stream
	 * @param maxIdleTime how long a connection may stay idle before it is closed
	 * @param maxLifeTime how long a connection may live before it is closed once idle
	 * @param evictionInterval how often idle and expired connections are closed in the
	 * background, {@link Duration#ZERO} for no background eviction (Reactor Netty's
	 * meaning, to which it is passed as is)
	 * @param leasingStrategy order in which idle connections are handed out
	 */
	public record Pool(int maxConnections, int pendingAcquireMaxCount, Duration pendingAcquireTimeout,
			Duration maxIdleTime, Duration maxLifeTime, Duration evictionInterval,
			HttpPoolLeasingStrategy leasingStrategy) {

	}

	/**
	 * HTTP/2 settings.
	 *
	 * @param maxConcurrentStreams maximum streams the client opens on one connection (the
	 * server's SETTINGS_MAX_CONCURRENT_STREAMS still applies when lower)
	 * @param minConnections connections the pool keeps before it multiplexes
	 * @param pingAckTimeout how long to wait for the acknowledgement of the PING sent on
	 * a connection idle for {@code max-idle-time}: the connection is kept when it arrives
	 * in time and closed otherwise; {@code null} to close idle connections at
	 * {@code max-idle-time} without a PING
	 * @param maxResetsPerConnection streams the client may reset on one connection before
	 * it takes no new streams and closes once idle, or 0 for no limit
	 */
	public record Http2(int maxConcurrentStreams, int minConnections, @Nullable Duration pingAckTimeout,
			int maxResetsPerConnection) {

	}

	/**
	 * Transport timeouts.
	 *
	 * @param connectTimeout maximum time to establish a TCP connection
	 * @param responseTimeout maximum time between network reads once a request is sent,
	 * until its response completes
	 * @param readTimeout maximum time without reading while a response body streams, or
	 * {@code null} for none beyond the response timeout
	 * @param writeTimeout maximum time a write may take while a request is sent, or
	 * {@code null} for none
	 */
	public record Timeouts(Duration connectTimeout, Duration responseTimeout, @Nullable Duration readTimeout,
			@Nullable Duration writeTimeout) {

	}

	/**
	 * TLS settings.
	 *
	 * @param bundle name of the Spring Boot SSL bundle with the trust material (and key
	 * material for mutual TLS), or {@code null} for the JDK's trust store
	 * @param trustAll whether to trust any server certificate (internal endpoints only)
	 * @param provider TLS implementation
	 */
	public record Ssl(@Nullable String bundle, boolean trustAll, HttpPoolSslProvider provider) {

		/**
		 * TLS settings with the {@link HttpPoolSslProvider#AUTO automatic} provider.
		 * @param bundle name of the SSL bundle, or {@code null}
		 * @param trustAll whether to trust any server certificate
		 */
		public Ssl(@Nullable String bundle, boolean trustAll) {
			this(bundle, trustAll, HttpPoolSslProvider.AUTO);
		}

	}

	/**
	 * Proxy settings. {@link #toString()} masks the password.
	 *
	 * @param type proxy type
	 * @param host proxy host
	 * @param port proxy port
	 * @param nonProxyHosts regular expression of hosts reached directly, or {@code null}
	 * @param username user name, or {@code null}
	 * @param password password, or {@code null}
	 */
	public record Proxy(ProxyType type, String host, int port, @Nullable String nonProxyHosts,
			@Nullable String username, @Nullable String password) {

		@Override
		public String toString() {
			return "Proxy[type=" + this.type + ", host=" + this.host + ", port=" + this.port + ", nonProxyHosts="
					+ this.nonProxyHosts + ", username=" + this.username + ", password="
					+ ((this.password != null) ? HttpPoolSanitizer.MASK : null) + "]";
		}

	}

	/**
	 * Proxy type.
	 */
	public enum ProxyType {

		/**
		 * HTTP CONNECT proxy.
		 */
		HTTP,

		/**
		 * SOCKS4 proxy.
		 */
		SOCKS4,

		/**
		 * SOCKS5 proxy.
		 */
		SOCKS5

	}

	/**
	 * Health thresholds on pool utilization (0..1).
	 *
	 * @param degradedThreshold utilization from which the pool reports DEGRADED
	 * @param unhealthyThreshold utilization from which the pool reports DOWN
	 */
	public record Health(double degradedThreshold, double unhealthyThreshold) {

	}

	/**
	 * Retry settings.
	 *
	 * @param enabled whether failed attempts are retried
	 * @param maxAttempts maximum attempts, the first one included
	 * @param initialBackoff wait before the first retry
	 * @param multiplier factor applied to the wait after each retry
	 * @param maxBackoff longest wait between attempts, {@code Retry-After} included
	 * @param jitter random spread applied to each wait, from 0 (none) to 1 (0 to twice
	 * the wait)
	 * @param onStatuses response statuses that are retried
	 * @param budget retries allowed on top of first attempts over a sliding window, as a
	 * fraction of first attempts
	 */
	public record Retry(boolean enabled, int maxAttempts, Duration initialBackoff, double multiplier,
			Duration maxBackoff, double jitter, Set<Integer> onStatuses, double budget) {

		public Retry {
			onStatuses = Set.copyOf(onStatuses);
		}

	}

	/**
	 * Circuit breaker settings.
	 *
	 * @param enabled whether the circuit breaker guards calls
	 * @param consecutiveFailures consecutive failures that open the breaker
	 * @param initialOpenDuration how long the breaker stays open when it opens after
	 * being closed; doubled after each failed probe
	 * @param openDuration longest time the breaker stays open before it lets probes
	 * through
	 * @param halfOpenCalls probe calls permitted while half-open
	 */
	public record CircuitBreaker(boolean enabled, int consecutiveFailures, Duration initialOpenDuration,
			Duration openDuration, int halfOpenCalls) {

		/**
		 * Return the wait of the first opening: {@code initialOpenDuration}, never longer
		 * than {@code openDuration}.
		 * @return the first wait
		 */
		public Duration firstOpenDuration() {
			return (this.initialOpenDuration.compareTo(this.openDuration) < 0) ? this.initialOpenDuration
					: this.openDuration;
		}

	}

	/**
	 * Bulkhead settings.
	 *
	 * @param maxConcurrentCalls maximum concurrent calls, or {@code null} for no bulkhead
	 */
	public record Bulkhead(@Nullable Integer maxConcurrentCalls) {

	}

	/**
	 * Provider quota settings: calls are paced with a token bucket so that the upstream's
	 * rate limit is not hit.
	 *
	 * @param enabled whether calls are paced
	 * @param requestsPerPeriod requests the upstream allows per period, shared by all
	 * replicas, or {@code null} to learn the limit from its response headers
	 * @param period window of {@code requestsPerPeriod}, and of a learned limit whose
	 * headers name no window
	 * @param maxWait longest time a call waits for its turn
	 * @param maxQueued maximum calls of one replica waiting for their turn at once
	 * @param store where the bucket lives
	 * @param replicas replicas sharing the quota: the share of one replica with
	 * {@link RateLimitStore#LOCAL}, the fallback while Redis is unreachable with
	 * {@link RateLimitStore#REDIS}
	 * @param redisFallback what {@link RateLimitStore#REDIS} does while Redis is
	 * unreachable
	 * @param key Redis key of the shared bucket
	 * @since 0.1.0
	 */
	public record RateLimit(boolean enabled, @Nullable Integer requestsPerPeriod, Duration period, Duration maxWait,
			int maxQueued, RateLimitStore store, int replicas, RedisFallback redisFallback, String key) {

		/**
		 * Prefix of the Redis key of a client's bucket when {@code rate-limit.key} is not
		 * set; the client name follows it.
		 */
		public static final String DEFAULT_KEY_PREFIX = "http-pool:rate-limit:";

	}

	/**
	 * Adaptive concurrency limit settings.
	 *
	 * @param adaptive whether a latency-based limit caps the calls in flight
	 * @param initialLimit limit the client starts with
	 * @param maxLimit highest limit the client may reach
	 * @since 0.1.0
	 */
	public record Concurrency(boolean adaptive, int initialLimit, int maxLimit) {

	}

	/**
	 * Where a client's rate-limit bucket lives.
	 *
	 * @since 0.1.0
	 */
	public enum RateLimitStore {

		/**
		 * In this process: each replica paces to its share of the quota.
		 */
		LOCAL,

		/**
		 * In Redis: every replica with the same key shares one bucket.
		 */
		REDIS

	}

	/**
	 * What a client with a Redis bucket does while Redis is unreachable.
	 *
	 * @since 0.1.0
	 */
	public enum RedisFallback {

		/**
		 * Fail open: pace to the quota divided by {@code rate-limit.replicas}, in this
		 * process, so that all replicas together still stay under the quota.
		 */
		PER_REPLICA,

		/**
		 * Fail closed: reject every call with {@link HttpPoolRateLimitedException}.
		 */
		REJECT

	}

	/**
	 * Hedged request settings.
	 *
	 * @param enabled whether idempotent requests without an answer after the delay are
	 * sent a second time
	 * @param delay wait before the second attempt, or {@code null} for the 95th
	 * percentile of the client's recent response times
	 * @since 0.1.0
	 */
	public record Hedging(boolean enabled, @Nullable Duration delay) {

	}

}
