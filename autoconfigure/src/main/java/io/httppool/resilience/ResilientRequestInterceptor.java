package io.httppool.resilience;

import java.io.IOException;
import java.io.InterruptedIOException;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Applies a client's {@link ResiliencePolicy} to its {@code RestClient}: bulkhead(
 * deadline( retry( circuit breaker( attempt ) ) ) ), on the calling thread. Installed
 * outermost, so the interceptors added after it (the client guard among them) run once
 * per attempt.
 *
 * <p>
 * The deadline is enforced with one timer task per call that interrupts the calling
 * thread if an attempt or a backoff is still running when it passes; Reactor's blocking
 * wait then cancels the exchange. The interrupt never leaks: the call clears it before it
 * returns or throws.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public final class ResilientRequestInterceptor implements ClientHttpRequestInterceptor {

	private final ResiliencePolicy policy;

	/**
	 * Create an interceptor.
	 * @param policy the client's policy
	 */
	public ResilientRequestInterceptor(ResiliencePolicy policy) {
		this.policy = policy;
	}

	@Override
	public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
			throws IOException {
		ResiliencePolicy policy = this.policy;
		if (!policy.tryAcquireBulkhead()) {
			throw policy.bulkheadFull();
		}
		try {
			CallState call = new CallState(policy);
			DeadlineWatch watch = (policy.timeoutNanos() > 0) ? DeadlineWatch.start(policy.timeoutNanos()) : null;
			try {
				return execute(call, watch, request, body, execution);
			}
			finally {
				if (watch != null) {
					watch.stop();
				}
			}
		}
		finally {
			policy.releaseBulkhead();
		}
	}

	private ClientHttpResponse execute(CallState call, @Nullable DeadlineWatch watch, HttpRequest request, byte[] body,
			ClientHttpRequestExecution execution) throws IOException {
		ResiliencePolicy policy = this.policy;
		while (true) {
			if (!policy.tryAcquireAttempt(call)) {
				throw policy.circuitOpen(call);
			}
			ClientHttpResponse response;
			try {
				arm(watch);
				try {
					response = execution.execute(request, body);
				}
				finally {
					disarm(watch);
				}
			}
			catch (DeadlineReached ex) {
				policy.onCancel(call, true);
				throw policy.deadlineExceeded(call);
			}
			catch (IOException | RuntimeException ex) {
				if (watch != null && watch.fired()) {
					policy.onCancel(call, true);
					throw policy.deadlineExceeded(call);
				}
				long delay = policy.onError(call, ex, request.getMethod(), request.getHeaders());
				if (delay < 0) {
					throw ex;
				}
				backoff(call, watch, delay);
				continue;
			}
			int status = response.getStatusCode().value();
			if (!policy.isRetryStatus(status)) {
				policy.onResponse(call, status, request.getMethod());
				return response;
			}
			long delay = onRetryStatus(call, request, response, status);
			if (delay < 0) {
				return response;
			}
			response.close();
			backoff(call, watch, delay);
		}
	}

	private long onRetryStatus(CallState call, HttpRequest request, ClientHttpResponse response, int status) {
		HttpHeaders headers = response.getHeaders();
		long retryAfter = (status == 429 || status == 503)
				? RetryAfter.parseMillis(headers.getFirst(HttpHeaders.RETRY_AFTER), System.currentTimeMillis())
				: RetryAfter.NONE;
		HttpStatusFailure failure = new HttpStatusFailure(request.getMethod().name(), status, retryAfter);
		return this.policy.onRetryStatus(call, failure, request.getMethod(), request.getHeaders());
	}

	private static void arm(@Nullable DeadlineWatch watch) {
		if (watch != null && !watch.arm()) {
			throw new DeadlineReached();
		}
	}

	private static void disarm(@Nullable DeadlineWatch watch) {
		if (watch != null) {
			watch.disarm();
		}
	}

	private void backoff(CallState call, @Nullable DeadlineWatch watch, long delayMillis) throws IOException {
		if (delayMillis <= 0) {
			return;
		}
		if (watch != null && !watch.arm()) {
			throw this.policy.deadlineExceeded(call);
		}
		try {
			Thread.sleep(delayMillis);
		}
		catch (InterruptedException ex) {
			if (watch != null && watch.disarm()) {
				throw this.policy.deadlineExceeded(call);
			}
			Thread.currentThread().interrupt();
			InterruptedIOException interrupted = new InterruptedIOException(
					"interrupted while waiting to retry a call of HTTP pool '" + this.policy.clientName() + "'");
			interrupted.initCause(ex);
			throw interrupted;
		}
		if (watch != null && watch.disarm()) {
			throw this.policy.deadlineExceeded(call);
		}
	}

	@Override
	public String toString() {
		return "ResilientRequestInterceptor[" + this.policy.clientName() + "]";
	}

	/**
	 * The deadline passed before an attempt could start.
	 */
	private static final class DeadlineReached extends RuntimeException {

		DeadlineReached() {
			super(null, null, false, false);
		}

	}

}
