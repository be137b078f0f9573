package io.httppool.ratelimit;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;

/**
 * Applies a client's {@link HttpPoolRateLimiter} to each attempt of its
 * {@code WebClient}: waits for the attempt's turn without blocking a thread, then learns
 * from the response's rate-limit headers. Installed inside the resilience filter, so that
 * each retry is paced too.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public final class RateLimitExchangeFilter implements ExchangeFilterFunction {

	private final HttpPoolRateLimiter limiter;

	private final Consumer<ClientResponse> learn;

	/**
	 * Create a filter.
	 * @param limiter the client's limiter
	 */
	public RateLimitExchangeFilter(HttpPoolRateLimiter limiter) {
		this.limiter = limiter;
		this.learn = (response) -> limiter.onResponse(response.statusCode().value(),
				response.headers().asHttpHeaders());
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		CompletableFuture<Void> turn = this.limiter.acquire();
		if (turn.isDone() && !turn.isCompletedExceptionally()) {
			return next.exchange(request).doOnNext(this.learn);
		}
		// assembled once the turn came, so that the filters after this one (the client
		// guard's shutdown check among them) see the moment the attempt really starts
		Mono<ClientResponse> exchange = Mono.defer(() -> next.exchange(request).doOnNext(this.learn));
		// the turn completes on the limiter's scheduler (or Redis' event loop): hop off
		// it
		return Mono.fromFuture(turn, true)
			.publishOn(Schedulers.parallel())
			.doOnCancel(() -> turn.cancel(false))
			.then(exchange);
	}

	@Override
	public String toString() {
		return "RateLimitExchangeFilter[" + this.limiter.clientName() + "]";
	}

}
