package io.httppool;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import io.netty.channel.ChannelOption;
import io.netty.handler.logging.LogLevel;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.handler.timeout.WriteTimeoutHandler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.netty.ConnectionObserver;
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
import org.springframework.http.client.ReactorClientHttpRequestFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Builds a {@link HttpPoolClient} from its settings: the dedicated pool, the Reactor
 * Netty client on it, and the {@code WebClient} and {@code RestClient} that share them.
 * All work happens here, once per client at startup. Closing the factory closes the event
 * loops every client of it runs on.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public final class HttpPoolClientFactory implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(HttpPoolClientFactory.class);

	private static final String HTTP2_FRAME_LOGGER = "reactor.netty.http.client.h2";

	private final LoopResources loopResources;

	private final @Nullable SslBundles sslBundles;

	private final Supplier<WebClient.Builder> webClientBuilders;

	private final Supplier<RestClient.Builder> restClientBuilders;

	private final List<HttpPoolClientCustomizer> customizers;

	private final Duration shutdownTimeout;

	/**
	 * Create a factory.
	 * @param loopResources the event loops every client runs on
	 * @param sslBundles the SSL bundles {@code ssl.bundle} refers to, or {@code null}
	 * @param webClientBuilders a fresh {@code WebClient.Builder} per call (Spring Boot's
	 * prototype bean, so its codecs, observations and customizers apply)
	 * @param restClientBuilders a fresh {@code RestClient.Builder} per call
	 * @param customizers customizers, in order
	 * @param shutdownTimeout how long in-flight requests may take to finish on shutdown
	 */
	public HttpPoolClientFactory(LoopResources loopResources, @Nullable SslBundles sslBundles,
			Supplier<WebClient.Builder> webClientBuilders, Supplier<RestClient.Builder> restClientBuilders,
			List<HttpPoolClientCustomizer> customizers, Duration shutdownTimeout) {
		this.loopResources = loopResources;
		this.sslBundles = sslBundles;
		this.webClientBuilders = webClientBuilders;
		this.restClientBuilders = restClientBuilders;
		this.customizers = customizers;
		this.shutdownTimeout = shutdownTimeout;
	}

	/**
	 * Return the event loops every client of this factory runs on.
	 * @return the loop resources
	 */
	public LoopResources loopResources() {
		return this.loopResources;
	}

	/**
	 * Close the event loops. Call it after the clients of this factory were shut down.
	 */
	@Override
	public void close() {
		this.loopResources.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).onErrorComplete().block();
	}

	/**
	 * Build the client described by the given settings.
	 * @param settings validated settings
	 * @return the client
	 */
	public HttpPoolClient create(HttpPoolClientSettings settings) {
		warnIfFrameLoggerShowsSecrets(settings);
		PoolStateTracker tracker = new PoolStateTracker();
		ConnectionProvider provider = connectionProvider(settings, tracker);
		HttpClient httpClient = httpClient(settings, provider, tracker);
		for (HttpPoolClientCustomizer customizer : this.customizers) {
			httpClient = customizer.customizeHttpClient(settings, httpClient);
		}
		ClientGuard guard = new ClientGuard(settings);
		WebClient.Builder webClient = this.webClientBuilders.get();
		configure(settings, httpClient, guard, webClient);
		RestClient.Builder restClient = this.restClientBuilders.get();
		configure(settings, httpClient, guard, restClient);
		return new HttpPoolClient(settings, provider, httpClient, webClient.build(), restClient.build(), tracker,
				guard);
	}

	/**
	 * Point a {@code WebClient} builder made elsewhere (for example for an HTTP service
	 * group of the same name) at the given client: its connector and pool, base URL,
	 * default headers, filters and customizers.
	 * @param client the client
	 * @param builder the builder to configure
	 */
	public void configure(HttpPoolClient client, WebClient.Builder builder) {
		configure(client.settings(), client.httpClient(), client.guard(), builder);
	}

	/**
	 * Point a {@code RestClient} builder made elsewhere (for example for an HTTP service
	 * group of the same name) at the given client: its request factory and pool, base
	 * URL, default headers, interceptors and customizers.
	 * @param client the client
	 * @param builder the builder to configure
	 */
	public void configure(HttpPoolClient client, RestClient.Builder builder) {
		configure(client.settings(), client.httpClient(), client.guard(), builder);
	}

	private static void warnIfFrameLoggerShowsSecrets(HttpPoolClientSettings settings) {
		boolean secrets = settings.defaultHeaders()
			.keySet()
			.stream()
			.anyMatch(HttpPoolClientSettings::isSensitiveHeader);
		if (secrets && (settings.isHttp2() || settings.baseUrl() == null)
				&& LogFactory.getLog(HTTP2_FRAME_LOGGER).isDebugEnabled()) {
			logger.warn("HTTP pool client '" + settings.name() + "' sends secret default headers over HTTP/2 while "
					+ HTTP2_FRAME_LOGGER + " logs at DEBUG: Reactor Netty's frame logger prints header frames,"
					+ " so raise that logger to INFO outside development");
		}
	}

	private ConnectionProvider connectionProvider(HttpPoolClientSettings settings, PoolStateTracker tracker) {
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
		if (pool.leasingStrategy() == HttpPoolLeasingStrategy.LIFO) {
			builder.lifo();
		}
		else {
			builder.fifo();
		}
		if (settings.isHttp2() || settings.baseUrl() == null) {
			HttpPoolClientSettings.Http2 http2 = settings.http2();
			builder.allocationStrategy(Http2AllocationStrategy.builder()
				.maxConnections(pool.maxConnections())
				.minConnections(http2.minConnections())
				.maxConcurrentStreams(http2.maxConcurrentStreams())
				.build());
		}
		return builder.build();
	}

	private HttpClient httpClient(HttpPoolClientSettings settings, ConnectionProvider provider,
			PoolStateTracker tracker) {
		HttpPoolClientSettings.Timeouts timeouts = settings.timeouts();
		HttpClient client = HttpClient.create(provider)
			.runOn(this.loopResources)
			.protocol(protocols(settings))
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeouts.connectTimeout().toMillis())
			.responseTimeout(timeouts.responseTimeout())
			.compress(settings.compression())
			.followRedirect(settings.followRedirects())
			.observe((connection, state) -> {
				// once per established TCP connection (not per HTTP/2 stream, not for a
				// refused connect)
				if (state == ConnectionObserver.State.CONNECTED) {
					tracker.connectionOpened();
				}
			})
			.doOnRequest((request, connection) -> tracker.requestSent());
		if (settings.wiretap()) {
			// events and sizes only: a dump of the bytes would log secret headers
			client = client.wiretap("reactor.netty.http.client.HttpClient." + settings.name(), LogLevel.DEBUG,
					AdvancedByteBufFormat.SIMPLE);
		}
		if (timeouts.writeTimeout() != null) {
			long millis = timeouts.writeTimeout().toMillis();
			client = client.doOnRequest((request, connection) -> connection
				.addHandlerLast(new WriteTimeoutHandler(millis, java.util.concurrent.TimeUnit.MILLISECONDS)));
		}
		if (timeouts.readTimeout() != null) {
			long millis = timeouts.readTimeout().toMillis();
			client = client.doOnResponse((response, connection) -> connection
				.addHandlerLast(new ReadTimeoutHandler(millis, java.util.concurrent.TimeUnit.MILLISECONDS)));
		}
		if (settings.http2().pingInterval() != null) {
			Duration pingAckTimeout = settings.http2().pingInterval();
			client = client.http2Settings((http2) -> http2.pingAckTimeout(pingAckTimeout));
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

	private static boolean isHttps(HttpPoolClientSettings settings) {
		return settings.baseUrl() != null && "https".equalsIgnoreCase(settings.baseUrl().getScheme());
	}

	private static HttpProtocol[] protocols(HttpPoolClientSettings settings) {
		return switch (settings.protocol()) {
			case H2 -> new HttpProtocol[] { HttpProtocol.H2 };
			case H2C -> new HttpProtocol[] { HttpProtocol.H2C };
			case HTTP1 -> new HttpProtocol[] { HttpProtocol.HTTP11 };
			case AUTO -> (settings.isHttp2() || settings.baseUrl() == null)
					? new HttpProtocol[] { HttpProtocol.H2, HttpProtocol.HTTP11 }
					: new HttpProtocol[] { HttpProtocol.HTTP11 };
		};
	}

	private SslProvider.ProtocolSslContextSpec sslContextSpec(HttpPoolClientSettings settings) {
		boolean http1Only = settings.protocol() == HttpPoolProtocol.HTTP1;
		SslProvider.ProtocolSslContextSpec spec = http1Only ? Http11SslContextSpec.forClient()
				: Http2SslContextSpec.forClient();
		HttpPoolClientSettings.Ssl ssl = settings.ssl();
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

	private void configure(HttpPoolClientSettings settings, HttpClient httpClient, ClientGuard guard,
			WebClient.Builder builder) {
		builder.clientConnector(new ReactorClientHttpConnector(httpClient));
		if (settings.baseUrl() != null) {
			builder.baseUrl(settings.baseUrl().toString());
		}
		settings.defaultHeaders().forEach(builder::defaultHeader);
		for (HttpPoolClientCustomizer customizer : this.customizers) {
			customizer.customizeWebClient(settings, builder);
		}
		// innermost, next to the network: retries and breakers see typed pool errors
		builder.filters((filters) -> {
			filters.remove(guard);
			filters.add(guard);
		});
	}

	private void configure(HttpPoolClientSettings settings, HttpClient httpClient, ClientGuard guard,
			RestClient.Builder builder) {
		ReactorClientHttpRequestFactory requestFactory = new ReactorClientHttpRequestFactory(httpClient);
		requestFactory.setReadTimeout(settings.timeouts().responseTimeout());
		builder.requestFactory(requestFactory);
		if (settings.baseUrl() != null) {
			builder.baseUrl(settings.baseUrl().toString());
		}
		settings.defaultHeaders().forEach(builder::defaultHeader);
		for (HttpPoolClientCustomizer customizer : this.customizers) {
			customizer.customizeRestClient(settings, builder);
		}
		// innermost, next to the network: retries and breakers see typed pool errors
		builder.requestInterceptors((interceptors) -> {
			interceptors.remove(guard);
			interceptors.add(guard);
		});
	}

}
