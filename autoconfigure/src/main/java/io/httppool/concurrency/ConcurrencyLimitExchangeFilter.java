package io.httppool.concurrency;

import reactor.core.publisher.Mono;

import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;

/**
 * Applies a client's {@link AdaptiveConcurrencyLimit} to each attempt of its
 * {@code WebClient}: an attempt beyond the limit fails at once with a
 * {@link io.httppool.HttpPoolConcurrencyLimitException}; an admitted one holds its slot
 * until its response headers arrive, it fails or it is cancelled. Installed after the
 * resilience filter (and the hedging filter), so that retries and hedges are attempts of
 * their own.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public final class ConcurrencyLimitExchangeFilter implements ExchangeFilterFunction {

	private final AdaptiveConcurrencyLimit limit;

	/**
	 * Create a filter.
	 * @param limit the client's limit
	 */
	public ConcurrencyLimitExchangeFilter(AdaptiveConcurrencyLimit limit) {
		this.limit = limit;
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		return Mono.defer(() -> {
			AdaptiveConcurrencyLimit.Slot slot = this.limit.acquire();
			return next.exchange(request)
				.doOnNext((response) -> slot.onResponse(response.statusCode().value()))
				.doOnError(slot::onError)
				.doFinally((signal) -> slot.release());
		});
	}

	@Override
	public String toString() {
		return "ConcurrencyLimitExchangeFilter[" + this.limit.clientName() + "]";
	}

}
