package io.httppool.ratelimit;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import io.httppool.HttpPoolRestRequest;
import io.httppool.StreamingRequestInterceptor;

import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Applies a client's {@link HttpPoolRateLimiter} to each attempt of its
 * {@code RestClient}: waits for the attempt's turn on the calling thread, then learns
 * from the response's rate-limit headers. Installed inside the resilience interceptor, so
 * that each retry is paced too. The call's deadline ends the wait with its typed
 * exception ({@link HttpPoolRestRequest#await}) and an interrupt with an
 * {@link InterruptedIOException}; both give the turn back.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public final class RateLimitRequestInterceptor implements StreamingRequestInterceptor {

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
		await(request, this.limiter.acquire());
		ClientHttpResponse response = execution.execute(request, body);
		this.limiter.onResponse(response.getStatusCode().value(), response.getHeaders());
		return response;
	}

	private void await(HttpRequest request, CompletableFuture<Void> turn) throws IOException {
		try {
			if (request instanceof HttpPoolRestRequest call) {
				call.await(turn);
			}
			else {
				turn.get();
			}
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
