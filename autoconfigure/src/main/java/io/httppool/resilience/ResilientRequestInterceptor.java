package io.httppool.resilience;

import java.io.IOException;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.core.functions.CheckedSupplier;
import io.github.resilience4j.retry.Retry;
import io.httppool.HttpPoolDeadlineExceededException;
import io.httppool.StreamingRequestInterceptor;

import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Applies a client's {@link ResiliencePolicy} to its {@code RestClient} with
 * Resilience4j's decorators, on the calling thread: bulkhead( retry( circuit breaker(
 * attempt ) ) ) under the call's deadline. Installed outermost, so the interceptors added
 * after it (the client guard among them) run once per attempt.
 *
 * <p>
 * It never touches the body: the starter runs it in the client's request factory, where
 * the body streams (see {@link StreamingRequestInterceptor}); a retry sends the body
 * again only when it can be replayed ({@link RestCall}).
 */
final class ResilientRequestInterceptor implements StreamingRequestInterceptor {

	private final ResiliencePolicy policy;

	ResilientRequestInterceptor(ResiliencePolicy policy) {
		this.policy = policy;
	}

	@Override
	public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
			throws IOException {
		ResiliencePolicy policy = this.policy;
		RestCall call = new RestCall(policy, request, body, execution);
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
	}

	@Override
	public String toString() {
		return "ResilientRequestInterceptor[" + this.policy.clientName() + "]";
	}

}
