package io.httppool.resilience;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.httppool.HttpPoolBulkheadFullException;
import io.httppool.HttpPoolCircuitOpenException;
import io.httppool.HttpPoolClientSettings;
import io.httppool.HttpPoolDeadlineExceededException;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;

/**
 * Everything one client needs to make a call resilient, built once at startup and shared
 * by its {@code WebClient}, its {@code RestClient} and its HTTP service groups: the
 * Resilience4j instances named after the client, the retry budget, the backoff and the
 * rules that decide whether a failed attempt is retried.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public final class ResiliencePolicy {

	/**
	 * Header that marks a non-idempotent request as safe to retry.
	 */
	public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

	private static final int STATUS_LIMIT = 600;

	private final String clientName;

	private final @Nullable CircuitBreaker breaker;

	private final @Nullable Retry retry;

	private final @Nullable Bulkhead bulkhead;

	private final @Nullable RetryBudget budget;

	private final FailureClassifier classifier;

	private final boolean[] retryStatuses = new boolean[STATUS_LIMIT];

	private final int maxAttempts;

	private final long maxBackoffMillis;

	private final IntervalBiFunction<Object> backoff;

	private final Predicate<Throwable> retryPredicate;

	private final @Nullable Duration timeout;

	private final long timeoutNanos;

	/**
	 * Create a policy.
	 * @param settings the client's settings
	 * @param breaker the client's circuit breaker, or {@code null} when disabled
	 * @param retry the client's retry, whose config holds the maximum attempts, or
	 * {@code null} when retries are disabled
	 * @param bulkhead the client's bulkhead, or {@code null} for none
	 * @param backoff the wait before each retry in milliseconds; {@code Retry-After} wins
	 * over it and {@code retry.max-backoff} caps both
	 * @param retryPredicate failures that may be retried on top of the idempotency rule
	 * @param classifier decides what a failure proves about the request
	 */
	public ResiliencePolicy(HttpPoolClientSettings settings, @Nullable CircuitBreaker breaker, @Nullable Retry retry,
			@Nullable Bulkhead bulkhead, IntervalBiFunction<Object> backoff, Predicate<Throwable> retryPredicate,
			FailureClassifier classifier) {
		HttpPoolClientSettings.Retry retrySettings = settings.retry();
		this.clientName = settings.name();
		this.breaker = breaker;
		this.retry = retry;
		this.bulkhead = bulkhead;
		this.maxAttempts = (retry != null) ? retry.getRetryConfig().getMaxAttempts() : 1;
		this.budget = (retry != null) ? new RetryBudget(retrySettings.budget()) : null;
		this.classifier = classifier;
		for (int status : retrySettings.onStatuses()) {
			this.retryStatuses[status] = true;
		}
		this.maxBackoffMillis = retrySettings.maxBackoff().toMillis();
		this.backoff = backoff;
		this.retryPredicate = retryPredicate;
		this.timeout = settings.timeout();
		this.timeoutNanos = (this.timeout != null) ? this.timeout.toNanos() : 0;
	}

	/**
	 * Return the name of the client.
	 * @return the client name
	 */
	public String clientName() {
		return this.clientName;
	}

	/**
	 * Return the circuit breaker.
	 * @return the breaker, or {@code null} when disabled
	 */
	public @Nullable CircuitBreaker circuitBreaker() {
		return this.breaker;
	}

	/**
	 * Return the retry that keeps the books of this client's retries.
	 * @return the retry, or {@code null} when disabled
	 */
	public @Nullable Retry retry() {
		return this.retry;
	}

	/**
	 * Return the bulkhead.
	 * @return the bulkhead, or {@code null} for none
	 */
	public @Nullable Bulkhead bulkhead() {
		return this.bulkhead;
	}

	/**
	 * Return the total deadline of a call.
	 * @return the deadline, or {@code null} for none
	 */
	public @Nullable Duration timeout() {
		return this.timeout;
	}

	/**
	 * Whether the policy does anything; a client with retry and breaker disabled, no
	 * bulkhead and no deadline gets no filter.
	 * @return whether the policy is active
	 */
	public boolean isActive() {
		return this.breaker != null || this.retry != null || this.bulkhead != null || this.timeout != null;
	}

	/**
	 * Return the config a client's {@code Retry} instance must have: the filter decides
	 * every retry and reports it to the instance, which keeps the books (metrics, events)
	 * and takes the filter's delay as is.
	 * @param maxAttempts maximum attempts, the first one included
	 * @return the config
	 */
	public static io.github.resilience4j.retry.RetryConfig bookkeepingConfig(int maxAttempts) {
		return RetrySignal.bookkeepingConfig(maxAttempts);
	}

	long timeoutNanos() {
		return this.timeoutNanos;
	}

	/**
	 * Whether a request may be retried after it reached the server: its method is
	 * idempotent (GET, HEAD, OPTIONS, PUT, DELETE, TRACE) or it carries an
	 * {@value #IDEMPOTENCY_KEY} header.
	 * @param method the request method
	 * @param headers the request headers
	 * @return whether the request is idempotent
	 */
	public static boolean isIdempotent(HttpMethod method, HttpHeaders headers) {
		return HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method) || HttpMethod.PUT.equals(method)
				|| HttpMethod.DELETE.equals(method) || HttpMethod.OPTIONS.equals(method)
				|| HttpMethod.TRACE.equals(method) || headers.containsHeader(IDEMPOTENCY_KEY);
	}

	/**
	 * Take one extra attempt of a call whose first attempt is still in flight (a hedge)
	 * from the retry budget, so that retries and hedges together stay within
	 * {@code retry.budget} of first attempts.
	 * @return whether the extra attempt may be sent; {@code false} without a budget
	 * (retries disabled)
	 */
	public boolean tryAcquireExtraAttempt() {
		RetryBudget budget = this.budget;
		return budget != null && budget.tryAcquireRetry();
	}

	boolean isRetryStatus(int status) {
		return status >= 0 && status < STATUS_LIMIT && this.retryStatuses[status];
	}

	// ---- per call

	Retry.@Nullable AsyncContext<Object> newRetryContext() {
		return (this.retry != null) ? this.retry.asyncContext() : null;
	}

	boolean tryAcquireBulkhead() {
		return this.bulkhead == null || this.bulkhead.tryAcquirePermission();
	}

	void releaseBulkhead() {
		if (this.bulkhead != null) {
			this.bulkhead.onComplete();
		}
	}

	HttpPoolBulkheadFullException bulkheadFull() {
		Bulkhead bulkhead = this.bulkhead;
		int limit = (bulkhead != null) ? bulkhead.getBulkheadConfig().getMaxConcurrentCalls() : 0;
		return new HttpPoolBulkheadFullException(this.clientName, limit);
	}

	/**
	 * Ask the breaker for an attempt; on refusal, close the retry books of the call.
	 */
	boolean tryAcquireAttempt(CallState call) {
		if (this.breaker == null || this.breaker.tryAcquirePermission()) {
			if (call.attempts == 0 && this.budget != null) {
				this.budget.recordFirstAttempt();
			}
			call.attempts++;
			call.attemptStartNanos = System.nanoTime();
			return true;
		}
		return false;
	}

	HttpPoolCircuitOpenException circuitOpen(CallState call) {
		HttpPoolCircuitOpenException exception = new HttpPoolCircuitOpenException(this.clientName, call.attempts,
				call.lastFailure);
		stopRetries(call, exception);
		return exception;
	}

	HttpPoolDeadlineExceededException deadlineExceeded(CallState call) {
		Duration timeout = (this.timeout != null) ? this.timeout : Duration.ZERO;
		HttpPoolDeadlineExceededException exception = new HttpPoolDeadlineExceededException(this.clientName, timeout,
				call.attempts, call.lastFailure);
		stopRetries(call, exception);
		return exception;
	}

	boolean deadlinePassed(CallState call) {
		return this.timeoutNanos > 0 && System.nanoTime() - call.startNanos >= this.timeoutNanos;
	}

	/**
	 * Record an attempt that ended with a response whose status is not retried; close the
	 * retry books.
	 */
	void onResponse(CallState call, int status, HttpMethod method) {
		if (status >= 500) {
			HttpStatusFailure failure = new HttpStatusFailure(method.name(), status, RetryAfter.NONE);
			recordBreakerFailure(call, failure);
			stopRetries(call, failure);
			return;
		}
		CircuitBreaker breaker = this.breaker;
		if (breaker != null) {
			breaker.onSuccess(System.nanoTime() - call.attemptStartNanos, TimeUnit.NANOSECONDS);
		}
		Retry.AsyncContext<Object> context = call.retryContext;
		if (context != null) {
			context.onComplete();
		}
	}

	/**
	 * Record an attempt that ended with a status from {@code retry.on-statuses}.
	 * @return the wait before the next attempt in milliseconds, or -1 to hand the
	 * response to the caller
	 */
	long onRetryStatus(CallState call, HttpStatusFailure failure, HttpMethod method, HttpHeaders headers) {
		if (failure.getStatus() >= 500) {
			recordBreakerFailure(call, failure);
		}
		else if (this.breaker != null) {
			this.breaker.onSuccess(System.nanoTime() - call.attemptStartNanos, TimeUnit.NANOSECONDS);
		}
		call.lastFailure = failure;
		return planRetry(call, failure, isIdempotent(method, headers));
	}

	/**
	 * Record an attempt that failed.
	 * @return the wait before the next attempt in milliseconds, or -1 to fail the call
	 */
	long onError(CallState call, Throwable failure, HttpMethod method, HttpHeaders headers) {
		FailureKind kind = this.classifier.classify(failure);
		if (kind == FailureKind.CONNECT || kind == FailureKind.TRANSPORT) {
			recordBreakerFailure(call, failure);
		}
		else {
			releaseBreaker();
		}
		call.lastFailure = failure;
		if (kind == FailureKind.NOT_PROCESSED) {
			long resend = planResend(call, failure);
			if (resend >= 0) {
				return resend;
			}
		}
		boolean mayRetry = kind == FailureKind.CONNECT || kind == FailureKind.POOL || kind == FailureKind.NOT_PROCESSED
				|| ((kind == FailureKind.TRANSPORT || kind == FailureKind.LOST_WITH_CONNECTION)
						&& isIdempotent(method, headers));
		return planRetry(call, failure, mayRetry, kind == FailureKind.NOT_PROCESSED);
	}

	/**
	 * A connection rotation (a GOAWAY, or one racing the stream's acquire) caught the
	 * attempt before it was sent: send it again without using up an attempt or the
	 * budget, which exist to spare the upstream, at most {@code maxAttempts} times per
	 * call. The first time at once (the next attempt takes another connection), later
	 * ones after the backoff: the client's connections, opened together, tend to rotate
	 * together.
	 * @return the wait before sending it again in milliseconds, or -1 to treat the
	 * failure as a retry
	 */
	private long planResend(CallState call, Throwable failure) {
		if (call.retryContext == null || call.resends >= this.maxAttempts || isBreakerOpen()) {
			return -1;
		}
		long delay = (call.resends == 0) ? 0 : delayMillis(call.resends, failure);
		if (this.timeoutNanos > 0
				&& System.nanoTime() - call.startNanos + TimeUnit.MILLISECONDS.toNanos(delay) >= this.timeoutNanos) {
			return -1;
		}
		call.resends++;
		return delay;
	}

	private boolean isBreakerOpen() {
		CircuitBreaker breaker = this.breaker;
		return breaker != null && (breaker.getState() == CircuitBreaker.State.OPEN
				|| breaker.getState() == CircuitBreaker.State.FORCED_OPEN);
	}

	/**
	 * Record an attempt cancelled before it ended: by the deadline (a timeout for the
	 * breaker) or by the caller (the breaker's permission is given back, so that a
	 * cancelled half-open probe does not hold a probe slot).
	 */
	void onCancel(CallState call, boolean deadline) {
		if (deadline) {
			recordBreakerFailure(call, new DeadlineTimeout());
		}
		else {
			releaseBreaker();
		}
	}

	private void releaseBreaker() {
		if (this.breaker != null) {
			this.breaker.releasePermission();
		}
	}

	private void recordBreakerFailure(CallState call, Throwable failure) {
		CircuitBreaker breaker = this.breaker;
		if (breaker == null) {
			return;
		}
		breaker.onError(System.nanoTime() - call.attemptStartNanos, TimeUnit.NANOSECONDS, failure);
		// a failed probe reopens the breaker at once instead of waiting for the others
		if (breaker.getState() == CircuitBreaker.State.HALF_OPEN) {
			try {
				breaker.transitionToOpenState();
			}
			catch (RuntimeException ex) {
				// another thread moved the breaker on first
			}
		}
	}

	private long planRetry(CallState call, Throwable failure, boolean mayRetry) {
		return planRetry(call, failure, mayRetry, false);
	}

	// immediately: the upstream asked for another connection, not for time
	private long planRetry(CallState call, Throwable failure, boolean mayRetry, boolean immediately) {
		Retry.AsyncContext<Object> context = call.retryContext;
		if (context == null) {
			return -1;
		}
		if (!mayRetry || !this.retryPredicate.test(failure)) {
			return stopRetries(call, failure);
		}
		int attempts = call.attempts - call.resends;
		if (attempts >= this.maxAttempts) {
			context.onError((attempts > 1) ? new RetrySignal.Planned(failure, 0) : new RetrySignal.Stopped(failure));
			call.retryContext = null;
			return -1;
		}
		long delay = immediately ? 0 : delayMillis(attempts, failure);
		if (isBreakerOpen()) {
			return stopRetries(call, failure);
		}
		if (this.timeoutNanos > 0
				&& System.nanoTime() - call.startNanos + TimeUnit.MILLISECONDS.toNanos(delay) >= this.timeoutNanos) {
			return stopRetries(call, failure);
		}
		if (this.budget == null || !this.budget.tryAcquireRetry()) {
			return stopRetries(call, failure);
		}
		context.onError(new RetrySignal.Planned(failure, delay));
		return delay;
	}

	private long delayMillis(int retry, Throwable failure) {
		if (failure instanceof HttpStatusFailure status && status.getRetryAfterMillis() != RetryAfter.NONE) {
			return Math.min(this.maxBackoffMillis, status.getRetryAfterMillis());
		}
		long delay = (this.backoff instanceof ExponentialBackoff exponential) ? exponential.delayMillis(retry)
				: this.backoff.apply(retry, Either.left(failure));
		return Math.max(0, Math.min(this.maxBackoffMillis, delay));
	}

	private long stopRetries(CallState call, Throwable failure) {
		Retry.AsyncContext<Object> context = call.retryContext;
		if (context != null) {
			context.onError(new RetrySignal.Stopped(failure));
			call.retryContext = null;
		}
		return -1;
	}

	@Override
	public String toString() {
		return "ResiliencePolicy[" + this.clientName + "]";
	}

	/**
	 * What the breaker records for an attempt cut short by the deadline.
	 */
	static final class DeadlineTimeout extends RuntimeException {

		DeadlineTimeout() {
			super("attempt cancelled by the total deadline (timeout)", null, false, false);
		}

	}

}
