package io.httppool.resilience;

import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;
import io.github.resilience4j.retry.Retry;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;

/**
 * Applies a client's {@link ResiliencePolicy} to its {@code WebClient} with Resilience4j:
 * bulkhead( retry( circuit breaker( deadline( attempt ) ) ) ), the bulkhead and the
 * breaker as Resilience4j's Reactor operators, the retry as a {@link RetriedCall} on the
 * client's Resilience4j {@code Retry}, the deadline being what is left of the call's
 * {@code timeout} when the attempt starts, on the application's {@link DeadlineTimer}.
 * Installed outermost, so the filters added after it (the client guard among them) run
 * once per attempt.
 */
final class ResilientExchangeFilter implements ExchangeFilterFunction {

	private final ResiliencePolicy policy;

	private final DeadlineTimer timer;

	ResilientExchangeFilter(ResiliencePolicy policy, DeadlineTimer timer) {
		this.policy = policy;
		this.timer = timer;
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		ResiliencePolicy policy = this.policy;
		Mono<ClientResponse> result = new WebCall(policy, request, next, this.timer).attempt();
		Retry retry = policy.retry;
		if (retry != null) {
			result = RetriedCall.of(result, retry);
		}
		BulkheadOperator<ClientResponse> bulkhead = policy.bulkheadOperator;
		if (bulkhead != null) {
			result = result.transform(bulkhead).onErrorMap(policy.bulkheadFull);
			if (policy.bulkheadWaits) {
				// max-wait-duration: Resilience4j waits for a permission on the
				// subscribing
				// thread, which must not be an event loop
				result = result.subscribeOn(Schedulers.boundedElastic());
			}
		}
		return result;
	}

	@Override
	public String toString() {
		return "ResilientExchangeFilter[" + this.policy.clientName() + "]";
	}

}
