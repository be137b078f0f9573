package io.httppool;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;

/**
 * One pool of a client and everything built on it: the connection provider, the Reactor
 * Netty client, the connector of the {@code WebClient} and the request factory of the
 * {@code RestClient}. A client has one current generation; resizing it builds the next
 * and retires this one, which then drains and is disposed.
 *
 * <p>
 * A call enters a generation when it picks it and leaves when its response (or failure)
 * arrives, so a retired generation knows when no call is about to ask its pool for a
 * connection any more.
 */
final class PoolGeneration {

	private final HttpPoolClientSettings settings;

	private final ConnectionProvider provider;

	private final HttpClient httpClient;

	private final PoolStateTracker tracker;

	private final ClientHttpConnector connector;

	private final AtomicInteger calls = new AtomicInteger();

	private final Sinks.Empty<Void> idle = Sinks.empty();

	private volatile boolean retired;

	private volatile @Nullable Mono<Void> retirement;

	PoolGeneration(HttpPoolClientSettings settings, ConnectionProvider provider, HttpClient httpClient,
			PoolStateTracker tracker) {
		this.settings = settings;
		this.provider = provider;
		this.httpClient = httpClient;
		this.tracker = tracker;
		this.connector = new ReactorClientHttpConnector(httpClient);
	}

	HttpPoolClientSettings settings() {
		return this.settings;
	}

	ConnectionProvider provider() {
		return this.provider;
	}

	HttpClient httpClient() {
		return this.httpClient;
	}

	PoolStateTracker tracker() {
		return this.tracker;
	}

	ClientHttpConnector connector() {
		return this.connector;
	}

	HttpPoolState snapshot() {
		return this.tracker.snapshot(this.settings);
	}

	/**
	 * Enter this generation for one call, unless it was retired.
	 * @return whether the call may use this generation; if so it must {@link #exit()}
	 */
	boolean tryEnter() {
		// increment before reading the flag, retire() sets it before reading the count:
		// one of the two sees the other
		this.calls.incrementAndGet();
		if (this.retired) {
			exit();
			return false;
		}
		return true;
	}

	void exit() {
		if (this.calls.decrementAndGet() == 0 && this.retired) {
			this.idle.tryEmitEmpty();
		}
	}

	/**
	 * Take no new calls, let the calls that entered get their responses, then close the
	 * pool (Reactor Netty's graceful dispose, which lets connections still reading a body
	 * finish), all within {@code timeout}. Idempotent: every call returns the same
	 * retirement, which runs once, whether subscribed to or not.
	 * @param timeout how long the calls in flight may take
	 * @return a {@code Mono} that completes when the pool is closed or the time is up
	 */
	synchronized Mono<Void> retire(Duration timeout) {
		Mono<Void> existing = this.retirement;
		if (existing != null) {
			return existing;
		}
		this.retired = true;
		if (this.calls.get() == 0) {
			this.idle.tryEmitEmpty();
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		Mono<Void> drain = this.idle.asMono()
			.timeout(timeout, Mono.empty())
			.then(Mono.defer(() -> this.provider.disposeLater().timeout(remaining(deadline), Mono.empty())))
			.onErrorComplete()
			.cache();
		drain.subscribe();
		this.retirement = drain;
		return drain;
	}

	private static Duration remaining(long deadline) {
		return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
	}

}
