package io.httppool.resilience;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.core.functions.CheckedSupplier;
import io.httppool.HttpPoolDeadlineExceededException;
import io.httppool.HttpPoolRestRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRequest;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpResponse;

/**
 * One {@code RestClient} call across its attempts. As a {@link CheckedSupplier} it is one
 * attempt for Resilience4j's retry: the exchange inside Resilience4j's breaker, sent
 * again at once when a connection rotation caught it unsent; a status from
 * {@code retry.on-statuses} goes on to the retry as a {@link RetryableResult}, a failure
 * as an {@link AttemptFailure}.
 *
 * <p>
 * The call's deadline is handed to its {@link HttpPoolRestRequest}, whose waits (the
 * exchange, a rate limit's turn) end there with the typed exception, the exchange
 * cancelled; the calling thread is never interrupted. The waits between attempts never
 * pass the deadline: a retry or re-send whose wait would is not made. A body is sent
 * again only while {@link HttpPoolRestRequest#isBodyReplayable() replayable}.
 */
final class RestCall extends CallState implements CheckedSupplier<ClientHttpResponse> {

	private final HttpRequest request;

	private final byte[] body;

	private final ClientHttpRequestExecution execution;

	private final @Nullable HttpPoolRestRequest call;

	private final @Nullable CheckedSupplier<ClientHttpResponse> guarded;

	RestCall(ResiliencePolicy policy, HttpRequest request, byte[] body, ClientHttpRequestExecution execution) {
		super(policy, request.getMethod(), request.getHeaders());
		this.request = request;
		this.body = body;
		this.execution = execution;
		this.call = (request instanceof HttpPoolRestRequest call) ? call : null;
		if (this.call != null && policy.timeoutNanos > 0) {
			// every wait of every attempt ends there, the exchange's included
			this.call.deadline(this.startNanos + policy.timeoutNanos, () -> policy.deadlineExceeded(this));
		}
		CircuitBreaker breaker = policy.breaker;
		this.guarded = (breaker != null) ? CircuitBreaker.decorateCheckedSupplier(breaker, this::exchange) : null;
	}

	@Override
	boolean canSendAgain() {
		// a streamed body that an attempt began to write is gone
		return this.call == null || this.call.isBodyReplayable();
	}

	@Override
	public ClientHttpResponse get() throws Throwable {
		while (true) {
			ClientHttpResponse response;
			try {
				response = (this.guarded != null) ? this.guarded.get() : exchange();
			}
			catch (CallNotPermittedException ex) {
				throw this.policy.circuitOpen(this);
			}
			catch (HttpPoolDeadlineExceededException ex) {
				this.policy.onDeadline();
				throw ex;
			}
			catch (IOException | RuntimeException ex) {
				FailureKind kind = this.policy.onFailure(this, ex);
				if (this.policy.retry == null) {
					throw ex;
				}
				if (kind == FailureKind.NOT_PROCESSED) {
					long delay = this.policy.planResend(this, ex);
					if (delay >= 0) {
						pause(delay);
						continue;
					}
				}
				throw new AttemptFailure(this, ex, kind);
			}
			return onResponse(response);
		}
	}

	// inside the breaker, which counts an attempt the deadline cut short
	private ClientHttpResponse exchange() throws IOException {
		startAttempt();
		if (this.policy.timeoutNanos > 0 && this.policy.remainingNanos(this) <= 0) {
			throw this.policy.deadlineExceeded(this);
		}
		return this.execution.execute(this.request, this.body);
	}

	private ClientHttpResponse onResponse(ClientHttpResponse response) throws IOException {
		int status = response.getStatusCode().value();
		this.policy.onResponse(status);
		if (this.policy.retry != null && this.policy.isRetryStatus(status)) {
			return new Retryable(
					new RetryableResult.Status(this, this.policy.statusFailure(this, status, response.getHeaders())),
					response);
		}
		return response;
	}

	private void pause(long delayMillis) throws IOException {
		if (delayMillis <= 0) {
			return;
		}
		try {
			Thread.sleep(delayMillis);
		}
		catch (InterruptedException ex) {
			// the caller's own interrupt: the deadline never interrupts
			Thread.currentThread().interrupt();
			InterruptedIOException interrupted = new InterruptedIOException(
					"interrupted while waiting to send a call of HTTP pool '" + this.policy.clientName() + "' again");
			interrupted.initCause(ex);
			throw interrupted;
		}
	}

	/**
	 * A response whose status may be retried; the caller gets it as is when retries stop.
	 */
	private static final class Retryable implements ClientHttpResponse, RetryableResult {

		private final ClientHttpResponse response;

		private final Status status;

		Retryable(Status status, ClientHttpResponse response) {
			this.response = response;
			this.status = status;
		}

		@Override
		public Status status() {
			return this.status;
		}

		@Override
		public void discard() {
			this.response.close();
		}

		@Override
		public HttpStatusCode getStatusCode() throws IOException {
			return this.response.getStatusCode();
		}

		@Override
		public String getStatusText() throws IOException {
			return this.response.getStatusText();
		}

		@Override
		public void close() {
			this.response.close();
		}

		@Override
		public InputStream getBody() throws IOException {
			return this.response.getBody();
		}

		@Override
		public HttpHeaders getHeaders() {
			return this.response.getHeaders();
		}

	}

}
