package io.httppool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

import org.springframework.boot.ssl.SslBundles;
import org.springframework.http.client.ClientHttpRequestInterceptor;
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

	private final LoopResources loopResources;

	private final boolean closesLoopResources;

	private final ReactorNettyTransport transport;

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
		this(loopResources, true, sslBundles, webClientBuilders, restClientBuilders, customizers, shutdownTimeout);
	}

	/**
	 * Create a factory.
	 * @param loopResources the event loops every client runs on
	 * @param closesLoopResources whether {@link #close()} closes the event loops:
	 * {@code false} for loops that something else owns and closes (Spring's
	 * {@code ReactorResourceFactory})
	 * @param sslBundles the SSL bundles {@code ssl.bundle} refers to, or {@code null}
	 * @param webClientBuilders a fresh {@code WebClient.Builder} per call (Spring Boot's
	 * prototype bean, so its codecs, observations and customizers apply)
	 * @param restClientBuilders a fresh {@code RestClient.Builder} per call
	 * @param customizers customizers, in order
	 * @param shutdownTimeout how long in-flight requests may take to finish on shutdown
	 * @since 0.1.0
	 */
	public HttpPoolClientFactory(LoopResources loopResources, boolean closesLoopResources,
			@Nullable SslBundles sslBundles, Supplier<WebClient.Builder> webClientBuilders,
			Supplier<RestClient.Builder> restClientBuilders, List<HttpPoolClientCustomizer> customizers,
			Duration shutdownTimeout) {
		this.loopResources = loopResources;
		this.closesLoopResources = closesLoopResources;
		this.transport = new ReactorNettyTransport(loopResources, sslBundles, shutdownTimeout);
		this.webClientBuilders = webClientBuilders;
		this.restClientBuilders = restClientBuilders;
		this.customizers = customizers;
		this.shutdownTimeout = shutdownTimeout;
	}

	/**
	 * Close the event loops, unless they belong to someone else. Call it after the
	 * clients of this factory were shut down.
	 */
	@Override
	public void close() {
		if (this.closesLoopResources) {
			this.loopResources.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).onErrorComplete().block();
		}
	}

	/**
	 * Build the client described by the given settings.
	 * @param settings validated settings
	 * @return the client
	 */
	public HttpPoolClient create(HttpPoolClientSettings settings) {
		TypedTimeouts timeouts = new TypedTimeouts(settings);
		PoolStateTracker tracker = new PoolStateTracker();
		CurrentPool pool = new CurrentPool(generation(settings, tracker, timeouts));
		// the trackers of later pools share this one's counters (PoolStateTracker.next)
		ClientGuard guard = new ClientGuard(settings, timeouts,
				new Attempts(settings.name(), tracker, attemptRecorders(settings)));
		WebClient.Builder webClient = this.webClientBuilders.get();
		configure(settings, pool, guard, webClient);
		RestClient.Builder restClient = this.restClientBuilders.get();
		LayeredRequestFactory layers = configure(settings, pool, guard, restClient);
		return new HttpPoolClient(pool, webClient.build(), restClient.build(), guard, layers.interceptors());
	}

	/**
	 * Give a client a new pool with the given settings, built like the first one (the
	 * same transport code and customizers). Calls from then on go to the new pool,
	 * through the same {@code WebClient} and {@code RestClient}; calls in flight finish
	 * on the previous pool, which is closed once they have, at the latest after
	 * {@code http.pool.shutdown-timeout}.
	 * @param client the client
	 * @param settings its new, validated settings (only the pool sizes of
	 * {@link HttpPoolClientSettings#withPoolSizes(int, int, int)} may differ)
	 * @return a {@code Mono} that completes when the previous pool is closed; the
	 * previous pool is drained and closed whether it is subscribed to or not
	 * @throws HttpPoolShutdownException if the client is shutting down
	 * @since 0.2.0
	 */
	public Mono<Void> resize(HttpPoolClient client, HttpPoolClientSettings settings) {
		if (client.isShuttingDown()) {
			// a pool made now would outlive the shutdown that closes the others
			throw new HttpPoolShutdownException(client.name());
		}
		CurrentPool pool = client.pool();
		PoolGeneration next = generation(settings, pool.current().tracker().next(), new TypedTimeouts(settings));
		client.guard().resized(settings);
		return pool.replace(next, this.shutdownTimeout);
	}

	private PoolGeneration generation(HttpPoolClientSettings settings, PoolStateTracker tracker,
			TypedTimeouts timeouts) {
		KeepAliveGuard keepAlive = this.transport.keepAliveGuard(settings);
		ConnectionProvider provider = this.transport.connectionProvider(settings, tracker, keepAlive);
		HttpClient httpClient = this.transport.httpClient(settings, provider, tracker, timeouts, keepAlive);
		for (HttpPoolClientCustomizer customizer : this.customizers) {
			httpClient = customizer.customizeHttpClient(settings, httpClient);
		}
		ReactorNettyTransport.checkNoReactorNettyWiretap(settings, httpClient);
		return new PoolGeneration(settings, provider, httpClient, tracker);
	}

	private List<HttpPoolAttemptRecorder> attemptRecorders(HttpPoolClientSettings settings) {
		List<HttpPoolAttemptRecorder> recorders = new ArrayList<>();
		for (HttpPoolClientCustomizer customizer : this.customizers) {
			HttpPoolAttemptRecorder recorder = customizer.attemptRecorder(settings);
			if (recorder != null) {
				recorders.add(recorder);
			}
		}
		return recorders;
	}

	/**
	 * Point a {@code WebClient} builder made elsewhere (for example for an HTTP service
	 * group of the same name) at the given client: its connector and pool, base URL,
	 * default headers, filters and customizers.
	 * @param client the client
	 * @param builder the builder to configure
	 */
	public void configure(HttpPoolClient client, WebClient.Builder builder) {
		configure(client.settings(), client.pool(), client.guard(), builder);
	}

	/**
	 * Point a {@code RestClient} builder made elsewhere (for example for an HTTP service
	 * group of the same name) at the given client: its request factory and pool, base
	 * URL, default headers, interceptors and customizers. The interceptors the builder
	 * holds by then run inside the client's request factory, once per attempt (see
	 * {@link StreamingRequestInterceptor}).
	 * @param client the client
	 * @param builder the builder to configure
	 */
	public void configure(HttpPoolClient client, RestClient.Builder builder) {
		configure(client.settings(), client.pool(), client.guard(), builder);
	}

	private void configure(HttpPoolClientSettings settings, CurrentPool pool, ClientGuard guard,
			WebClient.Builder builder) {
		builder.clientConnector(GuardedResponses.guard(new CurrentPoolConnector(pool), guard));
		BaseUrlSecrets baseUrlSecrets = BaseUrlSecrets.of(settings);
		if (baseUrlSecrets.baseUrl() != null) {
			builder.baseUrl(baseUrlSecrets.baseUrl());
		}
		baseUrlSecrets.defaultHeaders(settings.defaultHeaders()).forEach(builder::defaultHeader);
		for (HttpPoolClientCustomizer customizer : this.customizers) {
			customizer.customizeWebClient(settings, builder);
		}
		// innermost, next to the network: retries and breakers see typed pool errors
		builder.filters((filters) -> {
			filters.remove(guard);
			filters.add(guard);
		});
	}

	private LayeredRequestFactory configure(HttpPoolClientSettings settings, CurrentPool pool, ClientGuard guard,
			RestClient.Builder builder) {
		BaseUrlSecrets baseUrlSecrets = BaseUrlSecrets.of(settings);
		if (baseUrlSecrets.baseUrl() != null) {
			builder.baseUrl(baseUrlSecrets.baseUrl());
		}
		baseUrlSecrets.defaultHeaders(settings.defaultHeaders()).forEach(builder::defaultHeader);
		for (HttpPoolClientCustomizer customizer : this.customizers) {
			customizer.customizeRestClient(settings, builder);
		}
		// the application's interceptors, read from a copy: reading the builder's own
		// list
		// would create it, and Spring buffers every body of a RestClient with a list of
		// interceptors, even an empty one
		List<ClientHttpRequestInterceptor> layers = new ArrayList<>();
		builder.clone().requestInterceptors(layers::addAll);
		if (!layers.isEmpty()) {
			// run inside the retry, once per attempt, as the starter's own
			builder.requestInterceptors(List::clear);
		}
		for (HttpPoolClientCustomizer customizer : this.customizers) {
			customizer.customizeRestClientInterceptors(settings, layers);
		}
		// innermost, next to the network: retries and breakers see typed pool errors
		layers.remove(guard);
		layers.add(guard);
		LayeredRequestFactory requestFactory = new LayeredRequestFactory(new RestTransport(pool), layers);
		builder.requestFactory(requestFactory);
		return requestFactory;
	}

}
