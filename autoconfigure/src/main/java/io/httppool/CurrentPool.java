package io.httppool;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The current {@link PoolGeneration} of one client, read by every call, and the retired
 * ones still draining. The {@code WebClient} connector and the {@code RestClient} request
 * factory of the client ask it for a generation per call, so a resized pool takes the
 * next call without rebuilding either.
 */
final class CurrentPool {

	private volatile PoolGeneration current;

	private final Set<PoolGeneration> draining = ConcurrentHashMap.newKeySet();

	CurrentPool(PoolGeneration first) {
		this.current = first;
	}

	PoolGeneration current() {
		return this.current;
	}

	/**
	 * Enter the current generation for one call; the caller must
	 * {@link PoolGeneration#exit() exit} it when the response arrives.
	 * @return the generation the call uses
	 */
	PoolGeneration enter() {
		while (true) {
			PoolGeneration generation = this.current;
			if (generation.tryEnter()) {
				return generation;
			}
			// retired between the read and the entry: the next one is current already
		}
	}

	/**
	 * Make {@code next} current and retire the previous generation.
	 * @param next the new generation
	 * @param timeout how long calls in flight on the previous one may take
	 * @return a {@code Mono} that completes when the previous pool is closed
	 */
	synchronized Mono<Void> replace(PoolGeneration next, Duration timeout) {
		PoolGeneration previous = this.current;
		this.draining.add(previous);
		this.current = next;
		Mono<Void> retirement = previous.retire(timeout);
		retirement.subscribe(null, null, () -> this.draining.remove(previous));
		return retirement;
	}

	/**
	 * Retire the current generation and wait for every retired one.
	 * @param timeout how long calls in flight may take
	 * @return a {@code Mono} that completes when every pool is closed
	 */
	synchronized Mono<Void> retireAll(Duration timeout) {
		return Flux.concat(Flux.fromIterable(Set.copyOf(this.draining)), Flux.just(this.current))
			.flatMap((generation) -> generation.retire(timeout))
			.then();
	}

	/**
	 * The state of the current pool, with the connections and waiting requests of retired
	 * pools that are still draining added in: they are still open to the upstream.
	 * @return the state, with the limits of the current pool
	 */
	HttpPoolState state() {
		PoolGeneration generation = this.current;
		HttpPoolState state = generation.snapshot();
		if (this.draining.isEmpty()) {
			return state;
		}
		int active = state.activeConnections();
		int idle = state.idleConnections();
		int pending = state.pendingAcquires();
		int streams = state.activeStreams();
		for (PoolGeneration retired : this.draining) {
			if (retired == generation) {
				// read while being replaced
				continue;
			}
			HttpPoolState old = retired.snapshot();
			active += old.activeConnections();
			idle += old.idleConnections();
			pending += old.pendingAcquires();
			streams += old.activeStreams();
		}
		return new HttpPoolState(state.clientName(), state.http2(), active, idle, pending, state.maxConnections(),
				streams, state.maxConcurrentStreams(), state.connectionsOpened(), state.requests());
	}

}
