package io.httppool;

import java.nio.charset.Charset;
import java.time.Duration;

import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.logging.LogLevel;
import io.netty.handler.logging.LoggingHandler;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.netty.ChannelPipelineConfigurer;
import reactor.netty.NettyPipeline;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.Http2AllocationStrategy;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.SslProvider;
import reactor.netty.transport.ProxyProvider;
import reactor.netty.transport.logging.AdvancedByteBufFormat;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

/**
 * Translates a client's settings into its Reactor Netty connection pool and
 * {@link HttpClient}: pool sizes and eviction, the HTTP/2 allocation strategy, protocols,
 * timeouts, TLS and proxy.
 */
final class ReactorNettyTransport {

	private static final Log logger = LogFactory.getLog(ReactorNettyTransport.class);

	private static final String WIRETAP_HANDLER = "httpPool.wiretap";

	private static final String WRITE_TIMEOUT = "httpPoolWriteTimeout";

	private static final String READ_TIMEOUT = "httpPoolReadTimeout";

	private final LoopResources loopResources;

	private final @Nullable SslBundles sslBundles;

	private final Duration shutdownTimeout;

	ReactorNettyTransport(LoopResources loopResources, @Nullable SslBundles sslBundles, Duration shutdownTimeout) {
		this.loopResources = loopResources;
		this.sslBundles = sslBundles;
		this.shutdownTimeout = shutdownTimeout;
	}

	/**
	 * The keep-alive guard of an HTTP/1.1 client. HTTP/2 pools get none: Reactor Netty
	 * drops its PING liveness check when a pool has its own eviction predicate, and a
	 * server closes an idle HTTP/2 connection with GOAWAY, which is retried.
	 */
	@Nullable KeepAliveGuard keepAliveGuard(HttpPoolClientSettings settings) {
		return settings.isHttp2() ? null : new KeepAliveGuard(settings);
	}

	ConnectionProvider connectionProvider(HttpPoolClientSettings settings, PoolStateTracker tracker,
			@Nullable KeepAliveGuard keepAlive) {
		HttpPoolClientSettings.Pool pool = settings.pool();
		ConnectionProvider.Builder builder = ConnectionProvider.builder(settings.name())
			.maxConnections(pool.maxConnections())
			.pendingAcquireMaxCount(pool.pendingAcquireMaxCount())
			.pendingAcquireTimeout(pool.pendingAcquireTimeout())
			.maxIdleTime(pool.maxIdleTime())
			.maxLifeTime(pool.maxLifeTime())
			.evictInBackground(pool.evictionInterval())
			.disposeTimeout(this.shutdownTimeout)
			.metrics(true, () -> tracker);
		if (keepAlive != null) {
			builder.evictionPredicate(keepAlive);
		}
		if (pool.leasingStrategy() == HttpPoolLeasingStrategy.LIFO) {
			builder.lifo();
		}
		else {
			builder.fifo();
		}
		if (settings.isHttp2()) {
			HttpPoolClientSettings.Http2 http2 = settings.http2();
			builder.allocationStrategy(Http2AllocationStrategy.builder()
				.maxConnections(pool.maxConnections())
				.minConnections(http2.minConnections())
				.maxConcurrentStreams(http2.maxConcurrentStreams())
				.build());
		}
		return builder.build();
	}

	HttpClient httpClient(HttpPoolClientSettings settings, ConnectionProvider provider, PoolStateTracker tracker,
			TypedTimeouts typedTimeouts, @Nullable KeepAliveGuard keepAlive) {
		HttpPoolClientSettings.Timeouts timeouts = settings.timeouts();
		HttpClient client = HttpClient.create(provider)
			.runOn(this.loopResources)
			.protocol(protocols(settings))
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeouts.connectTimeout().toMillis())
			.responseTimeout(timeouts.responseTimeout())
			.compress(settings.compression())
			.followRedirect(settings.followRedirects())
			.observe(new ConnectionWatch(settings, tracker, typedTimeouts, keepAlive, settings.isHttp2()));
		// attempts are counted by the client's guard (Attempts), not here
		int maxResets = settings.http2().maxResetsPerConnection();
		if (maxResets > 0) {
			String name = settings.name();
			client = client.doOnRequest((request, connection) -> Http2ResetBudget.watch(connection, name, maxResets));
		}
		if (settings.wiretap()) {
			String category = "reactor.netty.http.client.HttpClient." + settings.name();
			SanitizedHttp2FrameLogger frameLogger = new SanitizedHttp2FrameLogger(category);
			client = client.doOnChannelInit(wiretap(category))
				.doOnRequest((request, connection) -> frameLogger.install(connection));
		}
		BaseUrlSecrets baseUrlSecrets = BaseUrlSecrets.of(settings);
		if (baseUrlSecrets.restoresQuery()) {
			client = client.doOnRequest((request, connection) -> baseUrlSecrets.restoreQuery(connection));
		}
		if (keepAlive != null) {
			// one header lookup per response
			client = client.doOnResponse((response, connection) -> {
				String announced = response.responseHeaders().get(HttpHeaderNames.KEEP_ALIVE);
				if (announced != null) {
					keepAlive.announced(announced);
				}
			});
		}
		// one handler per request: Netty's timeout handlers keep per-channel state
		if (timeouts.writeTimeout() != null) {
			client = client.doOnRequest((request, connection) -> connection.addHandlerLast(WRITE_TIMEOUT,
					typedTimeouts.writeTimeoutHandler()));
		}
		if (timeouts.readTimeout() != null) {
			client = client.doOnResponse((response, connection) -> connection.addHandlerLast(READ_TIMEOUT,
					typedTimeouts.readTimeoutHandler()));
		}
		Duration pingAckTimeout = settings.http2().pingAckTimeout();
		if (pingAckTimeout != null && settings.isHttp2()) {
			// with max-idle-time: an idle connection is probed, kept if the ack comes
			client = client.http2Settings((http2) -> http2.pingAckTimeout(pingAckTimeout).pingAckDropThreshold(1));
		}
		if (settings.protocol() != HttpPoolProtocol.H2C && settings.protocol() != HttpPoolProtocol.HTTP1
				|| isHttps(settings)) {
			SslProvider.ProtocolSslContextSpec sslContextSpec = sslContextSpec(settings);
			client = client.secure((spec) -> spec.sslContext(sslContextSpec));
		}
		HttpPoolClientSettings.Proxy proxy = settings.proxy();
		if (proxy != null) {
			client = client.proxy((spec) -> configureProxy(spec, proxy));
		}
		return client;
	}

	/**
	 * Connection events and sizes at DEBUG, never the bytes; HTTP/2 frames are logged by
	 * {@link SanitizedHttp2FrameLogger}. Not Reactor Netty's {@code wiretap}: the handler
	 * it installs under {@link NettyPipeline#LoggingHandler} makes Reactor Netty add an
	 * HTTP/2 frame logger ({@code reactor.netty.http.client.h2}) and a hex dump of the
	 * proxy connection ({@code reactor.netty.proxy}), which print headers, query strings
	 * and proxy credentials, whatever the format chosen here.
	 */
	private static ChannelPipelineConfigurer wiretap(String category) {
		LoggingHandler handler = AdvancedByteBufFormat.SIMPLE.toLoggingHandler(category, LogLevel.DEBUG,
				Charset.defaultCharset());
		return (observer, channel, remoteAddress) -> channel.pipeline().addFirst(WIRETAP_HANDLER, handler);
	}

	/**
	 * Refuse a client on which a customizer turned on Reactor Netty's own wiretap, whose
	 * loggers print secrets (see {@link #wiretap(String)}).
	 * @param settings the client's settings
	 * @param client the client after all customizers
	 */
	static void checkNoReactorNettyWiretap(HttpPoolClientSettings settings, HttpClient client) {
		if (client.configuration().loggingHandler() != null) {
			throw new IllegalStateException("HTTP pool client '" + settings.name() + "': an HttpPoolClientCustomizer "
					+ "turned on Reactor Netty's wiretap, which makes reactor.netty.http.client.h2 and "
					+ "reactor.netty.proxy print request headers, query strings and proxy credentials at DEBUG. "
					+ "Remove it and set http.pool.clients." + settings.name()
					+ ".wiretap=true, which logs connection events and sizes without them.");
		}
	}

	private static boolean isHttps(HttpPoolClientSettings settings) {
		return settings.baseUrl() != null && "https".equalsIgnoreCase(settings.baseUrl().getScheme());
	}

	private static HttpProtocol[] protocols(HttpPoolClientSettings settings) {
		return switch (settings.protocol()) {
			case H2 -> new HttpProtocol[] { HttpProtocol.H2 };
			case H2C -> new HttpProtocol[] { HttpProtocol.H2C };
			case HTTP1 -> new HttpProtocol[] { HttpProtocol.HTTP11 };
			case AUTO -> settings.isHttp2() ? new HttpProtocol[] { HttpProtocol.H2, HttpProtocol.HTTP11 }
					: new HttpProtocol[] { HttpProtocol.HTTP11 };
		};
	}

	private SslProvider.ProtocolSslContextSpec sslContextSpec(HttpPoolClientSettings settings) {
		boolean http1Only = settings.protocol() == HttpPoolProtocol.HTTP1;
		SslProvider.ProtocolSslContextSpec spec = http1Only ? Http11SslContextSpec.forClient()
				: Http2SslContextSpec.forClient();
		HttpPoolClientSettings.Ssl ssl = settings.ssl();
		io.netty.handler.ssl.SslProvider provider = switch (ssl.provider()) {
			// Reactor Netty's own choice: OpenSSL where it loads
			case AUTO -> null;
			case JDK -> io.netty.handler.ssl.SslProvider.JDK;
			case OPENSSL -> io.netty.handler.ssl.SslProvider.OPENSSL;
		};
		if (provider != null) {
			spec = spec.configure((builder) -> builder.sslProvider(provider));
		}
		else if (!OpenSsl.isAvailable() && logger.isInfoEnabled()) {
			Throwable cause = OpenSsl.unavailabilityCause();
			logger.info("HTTP pool client '" + settings.name() + "' uses the JDK's TLS: OpenSSL does not load here ("
					+ ((cause != null) ? cause.getMessage() : "unknown reason") + "); set http.pool.clients."
					+ settings.name() + ".ssl.provider=jdk to keep it without this message");
		}
		if (ssl.trustAll()) {
			logger.warn("HTTP pool client '" + settings.name()
					+ "' trusts every server certificate (ssl.trust-all=true): use it for internal endpoints only");
			return spec.configure((builder) -> builder.trustManager(InsecureTrustManagerFactory.INSTANCE));
		}
		if (ssl.bundle() != null && this.sslBundles != null) {
			SslBundle bundle = this.sslBundles.getBundle(ssl.bundle());
			return spec.configure((builder) -> {
				builder.trustManager(bundle.getManagers().getTrustManagerFactory());
				builder.keyManager(bundle.getManagers().getKeyManagerFactory());
				String[] protocols = bundle.getOptions().getEnabledProtocols();
				if (protocols != null) {
					builder.protocols(protocols);
				}
				String[] ciphers = bundle.getOptions().getCiphers();
				if (ciphers != null) {
					builder.ciphers(java.util.Arrays.asList(ciphers));
				}
			});
		}
		return spec;
	}

	private static ProxyProvider.Builder configureProxy(ProxyProvider.TypeSpec spec,
			HttpPoolClientSettings.Proxy proxy) {
		ProxyProvider.Proxy type = switch (proxy.type()) {
			case HTTP -> ProxyProvider.Proxy.HTTP;
			case SOCKS4 -> ProxyProvider.Proxy.SOCKS4;
			case SOCKS5 -> ProxyProvider.Proxy.SOCKS5;
		};
		ProxyProvider.Builder builder = spec.type(type).host(proxy.host()).port(proxy.port());
		if (proxy.nonProxyHosts() != null) {
			builder.nonProxyHosts(proxy.nonProxyHosts());
		}
		if (proxy.username() != null) {
			String password = proxy.password();
			builder.username(proxy.username()).password((username) -> password);
		}
		return builder;
	}

}
