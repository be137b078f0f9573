package io.httppool;

import java.net.URI;
import java.util.function.Function;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.http.client.reactive.ClientHttpResponse;

/**
 * The {@code WebClient} connector of a client: each call runs on the connector of the
 * client's current pool, picked when the call is subscribed, so the {@code WebClient}
 * follows a resized pool without being rebuilt.
 */
final class CurrentPoolConnector implements ClientHttpConnector {

	private final CurrentPool pool;

	CurrentPoolConnector(CurrentPool pool) {
		this.pool = pool;
	}

	@Override
	public Mono<ClientHttpResponse> connect(HttpMethod method, URI uri,
			Function<? super ClientHttpRequest, Mono<Void>> requestCallback) {
		return Mono.defer(() -> {
			PoolGeneration generation = this.pool.enter();
			return generation.connector()
				.connect(method, uri, requestCallback)
				.doFinally((signal) -> generation.exit());
		});
	}

}
