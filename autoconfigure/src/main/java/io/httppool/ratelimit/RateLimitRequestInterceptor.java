package io.httppool.ratelimit;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Applies a client's {@link HttpPoolRateLimiter} to each attempt of its
 * {@code RestClient}: waits for the attempt's turn on the calling thread, then learns
 * from the response's rate-limit headers. Installed inside the resilience interceptor, so
 * that each retry is paced too. An interrupt (the call's deadline) gives the turn back
 * and fails the attempt with an {@link InterruptedIOException}.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public final class RateLimitRequestInterceptor implements ClientHttpRequestInterceptor {

	private final HttpPoolRateLimiter limiter;

	/**
	 * Create an interceptor.
	 * @param limiter the client's limiter
	 */
	public RateLimitRequestInterceptor(HttpPoolRateLimiter limiter) {
		this.limiter = limiter;
	}

	@Override
	public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
			throws IOException {
		await(this.limiter.acquire());
		ClientHttpResponse response = execution.execute(request, body);
		this.limiter.onResponse(response.getStatusCode().value(), response.getHeaders());
		return response;
	}

	private void await(CompletableFuture<Void> turn) throws IOException {
		try {
			turn.get();
		}
		catch (InterruptedException ex) {
			turn.cancel(false);
			Thread.currentThread().interrupt();
			InterruptedIOException interrupted = new InterruptedIOException(
					"interrupted while waiting for the rate limit of HTTP pool '" + this.limiter.clientName() + "'");
			interrupted.initCause(ex);
			throw interrupted;
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException(ex.getCause());
		}
	}

	@Override
	public String toString() {
		return "RateLimitRequestInterceptor[" + this.limiter.clientName() + "]";
	}

}
