package io.httppool.resilience;

import java.time.Duration;

import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;

/**
 * Applies a client's {@link ResiliencePolicy} to its {@code WebClient}: bulkhead(
 * deadline( retry( circuit breaker( attempt ) ) ) ). Installed outermost, so the filters
 * added after it (the client guard among them) run once per attempt.
 *
 * <p>
 * Per call it allocates one state object (and Resilience4j's retry context); per attempt
 * it asks the breaker for a permission and records the outcome. Nothing is built per
 * request beyond the Reactor operators of the chain.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public final class ResilientExchangeFilter implements ExchangeFilterFunction {

	private final ResiliencePolicy policy;

	/**
	 * Create a filter.
	 * @param policy the client's policy
	 */
	public ResilientExchangeFilter(ResiliencePolicy policy) {
		this.policy = policy;
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		ResiliencePolicy policy = this.policy;
		if (!policy.tryAcquireBulkhead()) {
			return Mono.error(policy.bulkheadFull());
		}
		WebCall call = new WebCall(policy, request, next);
		Mono<ClientResponse> result = Mono.defer(call);
		Duration timeout = policy.timeout();
		if (timeout != null) {
			result = result.timeout(timeout, Mono.error(call::deadlineExceeded));
		}
		return (policy.bulkhead() != null) ? result.doFinally(call) : result;
	}

	@Override
	public String toString() {
		return "ResilientExchangeFilter[" + this.policy.clientName() + "]";
	}

}
