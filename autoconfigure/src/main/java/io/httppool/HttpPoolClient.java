package io.httppool;

import java.time.Duration;
import java.util.List;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * One named client: its dedicated connection pool, the Reactor Netty {@link HttpClient}
 * on that pool, and the {@link WebClient} and {@link RestClient} that share it. A resized
 * client (see
 * {@link HttpPoolClientFactory#resize(HttpPoolClient, HttpPoolClientSettings)}) gets a
 * new pool and client; its {@code WebClient} and {@code RestClient} stay the same and
 * send new calls to the new pool.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public final class HttpPoolClient {

	private final CurrentPool pool;

	private final WebClient webClient;

	private final RestClient restClient;

	private final ClientGuard guard;

	private final List<ClientHttpRequestInterceptor> restClientInterceptors;

	private final Sinks.Empty<Void> disposed = Sinks.empty();

	HttpPoolClient(CurrentPool pool, WebClient webClient, RestClient restClient, ClientGuard guard,
			List<ClientHttpRequestInterceptor> restClientInterceptors) {
		this.pool = pool;
		this.restClientInterceptors = restClientInterceptors;
		this.guard = guard;
		this.webClient = webClient;
		this.restClient = restClient;
	}

	/**
	 * Return the client name.
	 * @return the name
	 */
	public String name() {
		return this.pool.current().settings().name();
	}

	/**
	 * Return the effective settings, with the pool sizes of the current pool.
	 * @return the settings
	 */
	public HttpPoolClientSettings settings() {
		return this.pool.current().settings();
	}

	/**
	 * Return the current connection pool, named after the client.
	 * @return the connection provider
	 */
	public ConnectionProvider connectionProvider() {
		return this.pool.current().provider();
	}

	/**
	 * Return the Reactor Netty client on the current pool, which both the
	 * {@code WebClient} and the {@code RestClient} run on.
	 * @return the HTTP client
	 */
	public HttpClient httpClient() {
		return this.pool.current().httpClient();
	}

	/**
	 * Return the {@code WebClient} of this client (bean {@code <name>WebClient}).
	 * @return the web client
	 */
	public WebClient webClient() {
		return this.webClient;
	}

	/**
	 * Return the {@code RestClient} of this client (bean {@code <name>RestClient}).
	 * @return the rest client
	 */
	public RestClient restClient() {
		return this.restClient;
	}

	/**
	 * Return the interceptors the {@code RestClient} runs around each attempt, outermost
	 * first: the starter's own and those its builder held, which the starter runs inside
	 * the client's request factory so that Spring does not buffer the request body (see
	 * {@link StreamingRequestInterceptor}).
	 * @return the interceptors, unmodifiable
	 */
	public List<ClientHttpRequestInterceptor> restClientInterceptors() {
		return this.restClientInterceptors;
	}

	/**
	 * Read the pool's live state. Cheap, local and non-blocking. While a resized pool's
	 * previous pool drains, its connections and waiting requests are included; the limits
	 * are the current pool's.
	 * @return the current state
	 */
	public HttpPoolState state() {
		return this.pool.state();
	}

	/**
	 * Whether the client has begun to shut down and refuses new requests.
	 * @return whether the client is shutting down
	 */
	public boolean isShuttingDown() {
		return this.guard.isShuttingDown();
	}

	/**
	 * Refuse new requests, then close the pool once in-flight requests have released
	 * their connections, or after {@code timeout}.
	 * @param timeout how long in-flight requests may take to finish
	 * @return a {@code Mono} that completes when the pool is closed
	 */
	public Mono<Void> shutdown(Duration timeout) {
		this.guard.shutdown();
		return this.pool.retireAll(timeout)
			// before completion reaches the caller, so that its listeners (meters) are
			// done
			.then(Mono.<Void>fromRunnable(this.disposed::tryEmitEmpty))
			.doOnCancel(this.disposed::tryEmitEmpty);
	}

	/**
	 * Return a {@code Mono} that completes once {@link #shutdown(Duration)} has closed
	 * the pool (or given up waiting), for example to remove the client's meters.
	 * @return a {@code Mono} that completes when the client is disposed
	 */
	public Mono<Void> onDispose() {
		return this.disposed.asMono();
	}

	ClientGuard guard() {
		return this.guard;
	}

	CurrentPool pool() {
		return this.pool;
	}

	@Override
	public String toString() {
		return "HttpPoolClient[" + name() + "]";
	}

}
