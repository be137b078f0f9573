package io.httppool.resilience;

import java.io.IOException;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.core.functions.CheckedSupplier;
import io.github.resilience4j.retry.Retry;
import io.httppool.HttpPoolDeadlineExceededException;
import reactor.core.scheduler.Scheduler;

import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Applies a client's {@link ResiliencePolicy} to its {@code RestClient} with
 * Resilience4j's decorators, on the calling thread: bulkhead( retry( circuit breaker(
 * attempt ) ) ) under the call's deadline. Installed outermost, so the interceptors added
 * after it (the client guard among them) run once per attempt.
 *
 * <p>
 * Spring buffers the request body of every {@code RestClient} with an interceptor (its
 * {@code InterceptingClientHttpRequest} is an {@code AbstractBufferingClientHttpRequest}
 * in Spring Framework 7.0): the starter's pool guard is one, so this interceptor adds no
 * copy of its own, and the buffered body is what a retry sends again.
 */
final class ResilientRequestInterceptor implements ClientHttpRequestInterceptor {

	private final ResiliencePolicy policy;

	private final Scheduler timer;

	ResilientRequestInterceptor(ResiliencePolicy policy, Scheduler timer) {
		this.policy = policy;
		this.timer = timer;
	}

	@Override
	public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
			throws IOException {
		ResiliencePolicy policy = this.policy;
		DeadlineWatch watch = (policy.timeoutNanos > 0) ? new DeadlineWatch(this.timer, policy.timeoutNanos) : null;
		RestCall call = new RestCall(policy, request, body, execution, watch);
		CheckedSupplier<ClientHttpResponse> run = call;
		Retry retry = policy.retry;
		if (retry != null) {
			run = Retry.decorateCheckedSupplier(retry, run);
		}
		Bulkhead bulkhead = policy.bulkhead;
		if (bulkhead != null) {
			run = Bulkhead.decorateCheckedSupplier(bulkhead, run);
		}
		try {
			return run.get();
		}
		catch (HttpPoolDeadlineExceededException ex) {
			throw ex;
		}
		catch (Throwable ex) {
			Throwable failure = policy.bulkheadFull.apply(ResiliencePolicy.unwrap(ex));
			if (watch != null && watch.fired()) {
				// cut short in a backoff (Resilience4j's sleep) or while failing
				throw policy.deadlineExceeded(call);
			}
			if (failure instanceof IOException io) {
				throw io;
			}
			if (failure instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (failure instanceof Error error) {
				throw error;
			}
			throw new IOException(failure);
		}
		finally {
			if (watch != null) {
				watch.stop();
			}
		}
	}

	@Override
	public String toString() {
		return "ResilientRequestInterceptor[" + this.policy.clientName() + "]";
	}

}
