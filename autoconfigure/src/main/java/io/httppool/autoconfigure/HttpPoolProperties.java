package io.httppool.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.httppool.HttpPoolClientSettings;
import io.httppool.HttpPoolLeasingStrategy;
import io.httppool.HttpPoolProtocol;
import io.httppool.HttpPoolSslProvider;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of named, pooled HTTP clients. Every key of
 * {@code http.pool.defaults} applies to every client; the same key under
 * {@code http.pool.clients.<name>} overrides it for one client.
 *
 * @author http-pool team
 * @since 0.1.0
 */
@ConfigurationProperties("http.pool")
public class HttpPoolProperties {

	/**
	 * Prefix of every property.
	 */
	public static final String PREFIX = "http.pool";

	/**
	 * How long in-flight requests may take to finish when the application shuts down. New
	 * requests fail fast as soon as shutdown begins.
	 */
	private Duration shutdownTimeout = Duration.ofSeconds(30);

	/**
	 * Event loop threads every client runs on: its own (http-pool-*), or the ones of
	 * Spring Boot's ReactorResourceFactory, which a Reactor Netty web server in the same
	 * application runs on as well.
	 */
	private EventLoops eventLoops = EventLoops.DEDICATED;

	/**
	 * Settings every client starts from.
	 */
	private final Client defaults = new Client();

	/**
	 * Named clients, each with its own pool, WebClient and RestClient. Keys not set here
	 * come from http.pool.defaults.
	 */
	private final Map<String, Client> clients = new LinkedHashMap<>();

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public EventLoops getEventLoops() {
		return this.eventLoops;
	}

	public void setEventLoops(EventLoops eventLoops) {
		this.eventLoops = eventLoops;
	}

	public Client getDefaults() {
		return this.defaults;
	}

	public Map<String, Client> getClients() {
		return this.clients;
	}

	/**
	 * Settings of one client (or of every client, under http.pool.defaults).
	 */
	public static class Client {

		/**
		 * Absolute http or https URL relative request URIs resolve against. User info
		 * (user:password) is sent as an Authorization Basic header unless one is
		 * configured.
		 */
		private @Nullable String baseUrl;

		/**
		 * Headers sent with every request, by header name. Values may reference the
		 * environment (Bearer ${API_KEY}); values of sensitive headers are never logged
		 * or shown.
		 */
		private Map<String, String> defaultHeaders = new LinkedHashMap<>();

		/**
		 * Protocol: auto (HTTP/2 via ALPN on https with HTTP/1.1 fallback, HTTP/1.1 on
		 * http), h2, h2c (prior knowledge) or http1.
		 */
		private HttpPoolProtocol protocol = HttpPoolProtocol.AUTO;

		/**
		 * Maximum connections to one remote address. With HTTP/2 each carries up to
		 * http2.max-concurrent-streams requests.
		 */
		private int maxConnections = 50;

		/**
		 * Maximum requests waiting for a connection (HTTP/1.1) or a stream (HTTP/2);
		 * beyond it a request fails at once.
		 */
		private int pendingAcquireMaxCount = 1000;

		/**
		 * How long a request may wait for a connection or a stream before it fails.
		 */
		private Duration pendingAcquireTimeout = Duration.ofSeconds(5);

		/**
		 * How long a connection may stay idle before it is closed; below the 60 s
		 * keep-alive of common servers and load balancers. HTTP/1.1 pools lower it once
		 * they have seen the server close idle connections earlier; HTTP/2 connections
		 * idle this long are probed with a PING (http2.ping-ack-timeout) instead.
		 */
		private Duration maxIdleTime = Duration.ofSeconds(30);

		/**
		 * How long a connection may live before it is closed once idle, so that DNS
		 * changes are picked up.
		 */
		private Duration maxLifeTime = Duration.ofMinutes(5);

		/**
		 * How often idle and expired connections are closed in the background; 0 for no
		 * background eviction (they are closed when next acquired).
		 */
		private Duration evictionInterval = Duration.ofSeconds(10);

		/**
		 * Order in which idle connections are handed out: fifo or lifo.
		 */
		private HttpPoolLeasingStrategy leasingStrategy = HttpPoolLeasingStrategy.LIFO;

		/**
		 * HTTP/2 settings.
		 */
		private final Http2 http2 = new Http2();

		/**
		 * Maximum time to establish a TCP connection.
		 */
		private Duration connectTimeout = Duration.ofSeconds(5);

		/**
		 * Maximum time between network reads once a request is sent, until its response
		 * completes.
		 */
		private Duration responseTimeout = Duration.ofSeconds(30);

		/**
		 * Maximum time without reading while a response body streams; 0 for none. Unset
		 * (the default): none, only the response timeout applies.
		 */
		private @Nullable Duration readTimeout;

		/**
		 * Maximum time a write may take while a request is sent; 0 for none. Unset (the
		 * default): none.
		 */
		private @Nullable Duration writeTimeout;

		/**
		 * TLS settings.
		 */
		private final Ssl ssl = new Ssl();

		/**
		 * Whether to ask for compressed responses (Accept-Encoding: gzip).
		 */
		private boolean compression;

		/**
		 * Whether to follow redirects.
		 */
		private boolean followRedirects;

		/**
		 * Whether to log connection events (connect, TLS, reads and writes with their
		 * sizes) and HTTP/2 frames at DEBUG under
		 * reactor.netty.http.client.HttpClient.<name>. Bytes are never dumped and secret
		 * header and query values are masked.
		 */
		private boolean wiretap;

		/**
		 * Proxy settings.
		 */
		private final Proxy proxy = new Proxy();

		/**
		 * Health thresholds.
		 */
		private final Health health = new Health();

		/**
		 * Retry settings.
		 */
		private final Retry retry = new Retry();

		/**
		 * Circuit breaker settings.
		 */
		private final CircuitBreaker circuitBreaker = new CircuitBreaker();

		/**
		 * Bulkhead settings.
		 */
		private final Bulkhead bulkhead = new Bulkhead();

		/**
		 * Provider quota (rate limit) settings.
		 */
		private final RateLimit rateLimit = new RateLimit();

		/**
		 * Adaptive concurrency limit settings.
		 */
		private final Concurrency concurrency = new Concurrency();

		/**
		 * Hedged request settings.
		 */
		private final Hedging hedging = new Hedging();

		/**
		 * Total deadline of a call across all attempts and backoffs; 0 for none.
		 */
		private @Nullable Duration timeout = Duration.ofSeconds(60);

		public @Nullable String getBaseUrl() {
			return this.baseUrl;
		}

		public void setBaseUrl(@Nullable String baseUrl) {
			this.baseUrl = baseUrl;
		}

		public Map<String, String> getDefaultHeaders() {
			return this.defaultHeaders;
		}

		public void setDefaultHeaders(Map<String, String> defaultHeaders) {
			this.defaultHeaders = defaultHeaders;
		}

		public HttpPoolProtocol getProtocol() {
			return this.protocol;
		}

		public void setProtocol(HttpPoolProtocol protocol) {
			this.protocol = protocol;
		}

		public int getMaxConnections() {
			return this.maxConnections;
		}

		public void setMaxConnections(int maxConnections) {
			this.maxConnections = maxConnections;
		}

		public int getPendingAcquireMaxCount() {
			return this.pendingAcquireMaxCount;
		}

		public void setPendingAcquireMaxCount(int pendingAcquireMaxCount) {
			this.pendingAcquireMaxCount = pendingAcquireMaxCount;
		}

		public Duration getPendingAcquireTimeout() {
			return this.pendingAcquireTimeout;
		}

		public void setPendingAcquireTimeout(Duration pendingAcquireTimeout) {
			this.pendingAcquireTimeout = pendingAcquireTimeout;
		}

		public Duration getMaxIdleTime() {
			return this.maxIdleTime;
		}

		public void setMaxIdleTime(Duration maxIdleTime) {
			this.maxIdleTime = maxIdleTime;
		}

		public Duration getMaxLifeTime() {
			return this.maxLifeTime;
		}

		public void setMaxLifeTime(Duration maxLifeTime) {
			this.maxLifeTime = maxLifeTime;
		}

		public Duration getEvictionInterval() {
			return this.evictionInterval;
		}

		public void setEvictionInterval(Duration evictionInterval) {
			this.evictionInterval = evictionInterval;
		}

		public HttpPoolLeasingStrategy getLeasingStrategy() {
			return this.leasingStrategy;
		}

		public void setLeasingStrategy(HttpPoolLeasingStrategy leasingStrategy) {
			this.leasingStrategy = leasingStrategy;
		}

		public Http2 getHttp2() {
			return this.http2;
		}

		public Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public Duration getResponseTimeout() {
			return this.responseTimeout;
		}

		public void setResponseTimeout(Duration responseTimeout) {
			this.responseTimeout = responseTimeout;
		}

		public @Nullable Duration getReadTimeout() {
			return this.readTimeout;
		}

		public void setReadTimeout(@Nullable Duration readTimeout) {
			this.readTimeout = readTimeout;
		}

		public @Nullable Duration getWriteTimeout() {
			return this.writeTimeout;
		}

		public void setWriteTimeout(@Nullable Duration writeTimeout) {
			this.writeTimeout = writeTimeout;
		}

		public Ssl getSsl() {
			return this.ssl;
		}

		public boolean isCompression() {
			return this.compression;
		}

		public void setCompression(boolean compression) {
			this.compression = compression;
		}

		public boolean isFollowRedirects() {
			return this.followRedirects;
		}

		public void setFollowRedirects(boolean followRedirects) {
			this.followRedirects = followRedirects;
		}

		public boolean isWiretap() {
			return this.wiretap;
		}

		public void setWiretap(boolean wiretap) {
			this.wiretap = wiretap;
		}

		public Proxy getProxy() {
			return this.proxy;
		}

		public Health getHealth() {
			return this.health;
		}

		public Retry getRetry() {
			return this.retry;
		}

		public CircuitBreaker getCircuitBreaker() {
			return this.circuitBreaker;
		}

		public Bulkhead getBulkhead() {
			return this.bulkhead;
		}

		public RateLimit getRateLimit() {
			return this.rateLimit;
		}

		public Concurrency getConcurrency() {
			return this.concurrency;
		}

		public Hedging getHedging() {
			return this.hedging;
		}

		public @Nullable Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(@Nullable Duration timeout) {
			this.timeout = timeout;
		}

	}

	/**
	 * HTTP/2 settings of a client.
	 */
	public static class Http2 {

		/**
		 * Maximum streams (concurrent requests) on one connection before another one is
		 * opened; the server's SETTINGS_MAX_CONCURRENT_STREAMS still applies when lower.
		 */
		private int maxConcurrentStreams = 100;

		/**
		 * Connections the pool opens before it multiplexes requests on them.
		 */
		private int minConnections = 1;

		/**
		 * How long to wait for the acknowledgement of the PING sent on a connection idle
		 * for max-idle-time: the connection is kept (until max-life-time) when it arrives
		 * in time, and closed otherwise, so that a connection that went silent is found
		 * before a request is sent on it. 0 closes idle connections at max-idle-time
		 * without a PING.
		 */
		private Duration pingAckTimeout = Duration.ofSeconds(5);

		/**
		 * Streams the client may reset (cancelled calls) on one connection before the
		 * connection takes no new streams and closes once its last stream ends, so that a
		 * server's rapid-reset limit (Netty: 200 in 30 s) never closes it under load; 0
		 * keeps connections whatever the resets.
		 */
		private int maxResetsPerConnection = 100;

		public int getMaxResetsPerConnection() {
			return this.maxResetsPerConnection;
		}

		public void setMaxResetsPerConnection(int maxResetsPerConnection) {
			this.maxResetsPerConnection = maxResetsPerConnection;
		}

		public int getMaxConcurrentStreams() {
			return this.maxConcurrentStreams;
		}

		public void setMaxConcurrentStreams(int maxConcurrentStreams) {
			this.maxConcurrentStreams = maxConcurrentStreams;
		}

		public int getMinConnections() {
			return this.minConnections;
		}

		public void setMinConnections(int minConnections) {
			this.minConnections = minConnections;
		}

		public Duration getPingAckTimeout() {
			return this.pingAckTimeout;
		}

		public void setPingAckTimeout(Duration pingAckTimeout) {
			this.pingAckTimeout = pingAckTimeout;
		}

	}

	/**
	 * TLS settings of a client.
	 */
	public static class Ssl {

		/**
		 * Name of the Spring Boot SSL bundle (spring.ssl.bundle.*) with the trust
		 * material, and key material for mutual TLS. Unset: the JDK's trust store.
		 */
		private @Nullable String bundle;

		/**
		 * Whether to trust any server certificate. For internal endpoints only; logs a
		 * warning naming the client at startup.
		 */
		private boolean trustAll;

		/**
		 * TLS implementation: auto (OpenSSL where netty-tcnative's native library loads,
		 * which the starter brings for Linux, macOS and Windows; the JDK's otherwise),
		 * jdk, or openssl (startup fails where it does not load).
		 */
		private HttpPoolSslProvider provider = HttpPoolSslProvider.AUTO;

		public @Nullable String getBundle() {
			return this.bundle;
		}

		public void setBundle(@Nullable String bundle) {
			this.bundle = bundle;
		}

		public boolean isTrustAll() {
			return this.trustAll;
		}

		public void setTrustAll(boolean trustAll) {
			this.trustAll = trustAll;
		}

		public HttpPoolSslProvider getProvider() {
			return this.provider;
		}

		public void setProvider(HttpPoolSslProvider provider) {
			this.provider = provider;
		}

	}

	/**
	 * Proxy settings of a client.
	 */
	public static class Proxy {

		/**
		 * Proxy type: http, socks4 or socks5.
		 */
		private HttpPoolClientSettings.ProxyType type = HttpPoolClientSettings.ProxyType.HTTP;

		/**
		 * Proxy host. Unset: connect directly.
		 */
		private @Nullable String host;

		/**
		 * Proxy port.
		 */
		private @Nullable Integer port;

		/**
		 * Regular expression of hosts reached directly, bypassing the proxy.
		 */
		private @Nullable String nonProxyHosts;

		/**
		 * User name for the proxy.
		 */
		private @Nullable String username;

		/**
		 * Password for the proxy. Never logged or shown.
		 */
		private @Nullable String password;

		public HttpPoolClientSettings.ProxyType getType() {
			return this.type;
		}

		public void setType(HttpPoolClientSettings.ProxyType type) {
			this.type = type;
		}

		public @Nullable String getHost() {
			return this.host;
		}

		public void setHost(@Nullable String host) {
			this.host = host;
		}

		public @Nullable Integer getPort() {
			return this.port;
		}

		public void setPort(@Nullable Integer port) {
			this.port = port;
		}

		public @Nullable String getNonProxyHosts() {
			return this.nonProxyHosts;
		}

		public void setNonProxyHosts(@Nullable String nonProxyHosts) {
			this.nonProxyHosts = nonProxyHosts;
		}

		public @Nullable String getUsername() {
			return this.username;
		}

		public void setUsername(@Nullable String username) {
			this.username = username;
		}

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

	}

	/**
	 * Health thresholds of a client, on pool utilization from 0 to 1.
	 */
	public static class Health {

		/**
		 * Utilization from which the pool reports DEGRADED.
		 */
		private double degradedThreshold = 0.70;

		/**
		 * Utilization from which the pool reports DOWN.
		 */
		private double unhealthyThreshold = 0.90;

		public double getDegradedThreshold() {
			return this.degradedThreshold;
		}

		public void setDegradedThreshold(double degradedThreshold) {
			this.degradedThreshold = degradedThreshold;
		}

		public double getUnhealthyThreshold() {
			return this.unhealthyThreshold;
		}

		public void setUnhealthyThreshold(double unhealthyThreshold) {
			this.unhealthyThreshold = unhealthyThreshold;
		}

	}

	/**
	 * Retry settings of a client.
	 */
	public static class Retry {

		/**
		 * Whether failed attempts are retried (idempotent requests, or any request the
		 * failure proves never reached the server).
		 */
		private boolean enabled = true;

		/**
		 * Maximum attempts, the first one included.
		 */
		private int maxAttempts = 3;

		/**
		 * Wait before the first retry.
		 */
		private Duration initialBackoff = Duration.ofMillis(200);

		/**
		 * Factor applied to the wait after each retry.
		 */
		private double multiplier = 2.0;

		/**
		 * Longest wait between attempts, Retry-After included.
		 */
		private Duration maxBackoff = Duration.ofSeconds(10);

		/**
		 * Random spread of each wait, from 0 (none) to 1 (anywhere from 0 to twice the
		 * wait).
		 */
		private double jitter = 0.5;

		/**
		 * Response statuses that are retried.
		 */
		private Set<Integer> onStatuses = new LinkedHashSet<>(List.of(429, 502, 503, 504));

		/**
		 * Retries allowed on top of first attempts over a sliding window, as a fraction
		 * of first attempts: 0.2 lets a failing upstream see at most 1.2 times the
		 * traffic.
		 */
		private double budget = 0.2;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Duration getInitialBackoff() {
			return this.initialBackoff;
		}

		public void setInitialBackoff(Duration initialBackoff) {
			this.initialBackoff = initialBackoff;
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = multiplier;
		}

		public Duration getMaxBackoff() {
			return this.maxBackoff;
		}

		public void setMaxBackoff(Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
		}

		public double getJitter() {
			return this.jitter;
		}

		public void setJitter(double jitter) {
			this.jitter = jitter;
		}

		public Set<Integer> getOnStatuses() {
			return this.onStatuses;
		}

		public void setOnStatuses(Set<Integer> onStatuses) {
			this.onStatuses = onStatuses;
		}

		public double getBudget() {
			return this.budget;
		}

		public void setBudget(double budget) {
			this.budget = budget;
		}

	}

	/**
	 * Circuit breaker settings of a client.
	 */
	public static class CircuitBreaker {

		/**
		 * Whether a circuit breaker guards the client's calls.
		 */
		private boolean enabled = true;

		/**
		 * Consecutive failures (transport errors, timeouts, 5xx) that open the breaker.
		 */
		private int consecutiveFailures = 5;

		/**
		 * Longest time the breaker stays open before it lets probe calls through. It
		 * opens for initial-open-duration first, twice as long after each failed probe,
		 * never longer than this.
		 */
		private Duration openDuration = Duration.ofMinutes(1);

		/**
		 * How long the breaker stays open the first time it opens after being closed, so
		 * that a short outage (an upstream restart) ends quickly for the callers. Doubles
		 * after each failed probe up to open-duration; a closed breaker starts again from
		 * this value.
		 */
		private Duration initialOpenDuration = Duration.ofSeconds(2);

		/**
		 * Probe calls permitted while half-open; all must succeed to close the breaker.
		 */
		private int halfOpenCalls = 3;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getConsecutiveFailures() {
			return this.consecutiveFailures;
		}

		public void setConsecutiveFailures(int consecutiveFailures) {
			this.consecutiveFailures = consecutiveFailures;
		}

		public Duration getOpenDuration() {
			return this.openDuration;
		}

		public void setOpenDuration(Duration openDuration) {
			this.openDuration = openDuration;
		}

		public Duration getInitialOpenDuration() {
			return this.initialOpenDuration;
		}

		public void setInitialOpenDuration(Duration initialOpenDuration) {
			this.initialOpenDuration = initialOpenDuration;
		}

		public int getHalfOpenCalls() {
			return this.halfOpenCalls;
		}

		public void setHalfOpenCalls(int halfOpenCalls) {
			this.halfOpenCalls = halfOpenCalls;
		}

	}

	/**
	 * Bulkhead settings of a client.
	 */
	public static class Bulkhead {

		/**
		 * Maximum concurrent calls; further calls fail at once. 0 for no bulkhead. Unset
		 * (the default): no bulkhead.
		 */
		private @Nullable Integer maxConcurrentCalls;

		public @Nullable Integer getMaxConcurrentCalls() {
			return this.maxConcurrentCalls;
		}

		public void setMaxConcurrentCalls(@Nullable Integer maxConcurrentCalls) {
			this.maxConcurrentCalls = maxConcurrentCalls;
		}

	}

	/**
	 * Adaptive concurrency limit settings of a client.
	 */
	public static class Concurrency {

		/**
		 * Whether calls in flight are capped by a limit that follows the upstream's
		 * latency (Netflix concurrency-limits, Vegas): it grows while latency stays at
		 * its unloaded level and shrinks when requests start to queue; calls beyond it
		 * fail at once.
		 */
		private boolean adaptive;

		/**
		 * Limit of calls in flight the client starts with, before it has measured the
		 * upstream.
		 */
		private int initialLimit = 20;

		/**
		 * Highest limit of calls in flight the client may reach.
		 */
		private int maxLimit = 1000;

		public boolean isAdaptive() {
			return this.adaptive;
		}

		public void setAdaptive(boolean adaptive) {
			this.adaptive = adaptive;
		}

		public int getInitialLimit() {
			return this.initialLimit;
		}

		public void setInitialLimit(int initialLimit) {
			this.initialLimit = initialLimit;
		}

		public int getMaxLimit() {
			return this.maxLimit;
		}

		public void setMaxLimit(int maxLimit) {
			this.maxLimit = maxLimit;
		}

	}

	/**
	 * Hedged request settings of a client.
	 */
	public static class Hedging {

		/**
		 * Whether an idempotent request that got no answer after the hedging delay is
		 * sent a second time, on another connection or stream, the first answer winning
		 * and the other attempt being cancelled. Each hedge takes a permit from the retry
		 * budget. WebClient only.
		 */
		private boolean enabled;

		/**
		 * How long to wait for an answer before sending the hedge. Unset: the 95th
		 * percentile of the client's recent response times.
		 */
		private @Nullable Duration delay;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable Duration getDelay() {
			return this.delay;
		}

		public void setDelay(@Nullable Duration delay) {
			this.delay = delay;
		}

	}

	/**
	 * Provider quota settings of a client: calls are paced so that the upstream's rate
	 * limit is not hit.
	 */
	public static class RateLimit {

		/**
		 * Whether calls are paced to the upstream's quota, learned from its rate-limit
		 * response headers or set with requests-per-period.
		 */
		private boolean enabled;

		/**
		 * Requests the upstream allows per period, shared by all replicas. Unset: learned
		 * from the upstream's x-ratelimit-*, RateLimit and RateLimit-Policy headers.
		 */
		private @Nullable Integer requestsPerPeriod;

		/**
		 * Window of requests-per-period, and of a learned limit whose headers name no
		 * window (x-ratelimit-limit-requests).
		 */
		private Duration period = Duration.ofMinutes(1);

		/**
		 * Longest time a call waits for its turn before it fails with
		 * HttpPoolRateLimitedException.
		 */
		private Duration maxWait = Duration.ofSeconds(5);

		/**
		 * Maximum calls of this replica waiting for their turn at once; beyond it a call
		 * fails at once.
		 */
		private int maxQueued = 1000;

		/**
		 * Where the bucket lives: local (in this process) or redis (shared by every
		 * replica, through spring.data.redis.*).
		 */
		private HttpPoolClientSettings.RateLimitStore store = HttpPoolClientSettings.RateLimitStore.LOCAL;

		/**
		 * Replicas sharing the quota. With store=local each replica takes this share of
		 * it; with store=redis the share is the fallback while Redis is unreachable.
		 */
		private int replicas = 1;

		/**
		 * What store=redis does while Redis is unreachable: per-replica (pace to the
		 * quota divided by replicas, in this process) or reject (fail every call).
		 */
		private HttpPoolClientSettings.RedisFallback redisFallback = HttpPoolClientSettings.RedisFallback.PER_REPLICA;

		/**
		 * Redis key of the shared bucket; replicas with the same key share one quota.
		 * Unset: http-pool:rate-limit:<client name>.
		 */
		private @Nullable String key;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable Integer getRequestsPerPeriod() {
			return this.requestsPerPeriod;
		}

		public void setRequestsPerPeriod(@Nullable Integer requestsPerPeriod) {
			this.requestsPerPeriod = requestsPerPeriod;
		}

		public Duration getPeriod() {
			return this.period;
		}

		public void setPeriod(Duration period) {
			this.period = period;
		}

		public Duration getMaxWait() {
			return this.maxWait;
		}

		public void setMaxWait(Duration maxWait) {
			this.maxWait = maxWait;
		}

		public int getMaxQueued() {
			return this.maxQueued;
		}

		public void setMaxQueued(int maxQueued) {
			this.maxQueued = maxQueued;
		}

		public HttpPoolClientSettings.RateLimitStore getStore() {
			return this.store;
		}

		public void setStore(HttpPoolClientSettings.RateLimitStore store) {
			this.store = store;
		}

		public int getReplicas() {
			return this.replicas;
		}

		public void setReplicas(int replicas) {
			this.replicas = replicas;
		}

		public HttpPoolClientSettings.RedisFallback getRedisFallback() {
			return this.redisFallback;
		}

		public void setRedisFallback(HttpPoolClientSettings.RedisFallback redisFallback) {
			this.redisFallback = redisFallback;
		}

		public @Nullable String getKey() {
			return this.key;
		}

		public void setKey(@Nullable String key) {
			this.key = key;
		}

	}

	/**
	 * Event loops the clients run on.
	 */
	public enum EventLoops {

		/**
		 * The clients' own event loop threads (http-pool-*), one per core (at least 4),
		 * closed after the clients on shutdown: a server handler or a client callback
		 * that blocks an event loop elsewhere in the application never delays a client's
		 * I/O, and the reverse.
		 */
		DEDICATED,

		/**
		 * The event loops of Spring Boot's ReactorResourceFactory (Reactor Netty's global
		 * reactor-http-* threads unless the application configured the factory
		 * otherwise), shared with a Reactor Netty web server and Boot's own WebClient:
		 * fewer threads; the factory closes them after the clients.
		 */
		SHARED

	}

}
