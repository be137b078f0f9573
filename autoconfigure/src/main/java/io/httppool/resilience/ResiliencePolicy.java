package io.httppool.resilience;

import java.time.Duration;
import java.util.function.Function;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.retry.Retry;
import io.httppool.HttpPoolBulkheadFullException;
import io.httppool.HttpPoolCircuitOpenException;
import io.httppool.HttpPoolClientSettings;
import io.httppool.HttpPoolDeadlineExceededException;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.ClientResponse;

/**
 * Everything one client needs to make a call resilient, built once at startup and shared
 * by its {@code WebClient}, its {@code RestClient} and its HTTP service groups: the
 * Resilience4j instances named after the client (whose operators and decorators run the
 * retry, the breaker and the bulkhead) and the HTTP rules they are given as predicates
 * and interval functions: which failures and statuses are retried (the idempotency rule)
 * and counted by the breaker, {@code Retry-After}, the deadline and the retry budget.
 *
 * <p>
 * What Resilience4j cannot express, and is therefore done in this package
 * ({@link RetryRules}, {@link BreakerRules}):
 * <ul>
 * <li>re-sending an attempt that a connection rotation (GOAWAY) caught before it was sent
 * without using up an attempt: a Resilience4j retry counts every retry towards
 * {@code max-attempts};</li>
 * <li>reopening a half-open breaker at the first failed probe: Resilience4j waits until
 * all {@code permitted-number-of-calls-in-half-open-state} probes ended and compares
 * their failure rate with the threshold;</li>
 * <li>the per-call rules (idempotency of the request, the deadline, whether a failure was
 * re-sent): Resilience4j's predicates see only the exception or the result, so a failed
 * attempt travels to the retry as an {@link AttemptFailure} and a retryable response as a
 * {@link RetryableResult} carrying their call.</li>
 * </ul>
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

	final String clientName;

	private final BreakerRules breakerRules;

	private final boolean[] retryStatuses = new boolean[STATUS_LIMIT];

	private final @Nullable Duration timeout;

	final long timeoutNanos;

	private final RetryRules retryRules;

	final @Nullable CircuitBreaker breaker;

	final @Nullable Retry retry;

	final @Nullable Bulkhead bulkhead;

	// Resilience4j's Reactor operators, built once: each apply() is per call
	final @Nullable CircuitBreakerOperator<ClientResponse> breakerOperator;

	final @Nullable BulkheadOperator<ClientResponse> bulkheadOperator;

	// a bulkhead that waits for a permission blocks the thread that subscribes
	final boolean bulkheadWaits;

	final Function<Throwable, Throwable> bulkheadFull = this::bulkheadFull;

	private ResiliencePolicy(HttpPoolClientSettings settings, FailureClassifier classifier,
			Resilience4jInstances instances) {
		HttpPoolClientSettings.Retry retrySettings = settings.retry();
		this.clientName = settings.name();
		this.breakerRules = new BreakerRules(this, classifier);
		for (int status : retrySettings.onStatuses()) {
			this.retryStatuses[status] = true;
		}
		this.timeout = settings.timeout();
		this.timeoutNanos = (this.timeout != null) ? this.timeout.toNanos() : 0;
		this.retryRules = new RetryRules(this, retrySettings);
		this.breaker = instances.circuitBreaker(this.breakerRules::configure);
		this.retry = instances.retry(this.retryRules::configure);
		this.bulkhead = instances.bulkhead();
		this.retryRules.bind(this.retry, retrySettings);
		this.breakerOperator = (this.breaker != null) ? CircuitBreakerOperator.of(this.breaker) : null;
		this.bulkheadOperator = (this.bulkhead != null) ? BulkheadOperator.of(this.bulkhead) : null;
		this.bulkheadWaits = this.bulkhead != null && !this.bulkhead.getBulkheadConfig().getMaxWaitDuration().isZero();
	}

	/**
	 * Build the policy of a client.
	 * @param settings the client's settings
	 * @param classifier decides what a failure proves about the request
	 * @param instances the client's Resilience4j instances, given the policy's rules
	 * @return the policy
	 */
	public static ResiliencePolicy create(HttpPoolClientSettings settings, FailureClassifier classifier,
			Resilience4jInstances instances) {
		return new ResiliencePolicy(settings, classifier, instances);
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
	 * Return the retry.
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
	 * Take one extra request from the client's retry budget, for callers that send a
	 * request on top of a call's first attempt (a hedge, for example).
	 * @return whether the budget allows it; {@code false} when retries are disabled
	 */
	public boolean tryAcquireRetryPermit() {
		return this.retryRules.tryAcquirePermit();
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

	@Override
	public String toString() {
		return "ResiliencePolicy[" + this.clientName + "]";
	}

	// ---- per attempt

	RetryRules retryRules() {
		return this.retryRules;
	}

	void recordFirstAttempt() {
		this.retryRules.recordFirstAttempt();
	}

	boolean isRetryStatus(int status) {
		return status >= 0 && status < STATUS_LIMIT && this.retryStatuses[status];
	}

	HttpStatusFailure statusFailure(CallState call, int status, HttpHeaders responseHeaders) {
		long retryAfter = (status == 429 || status == 503)
				? RetryAfter.parseMillis(responseHeaders.getFirst(HttpHeaders.RETRY_AFTER), System.currentTimeMillis())
				: RetryAfter.NONE;
		HttpStatusFailure failure = new HttpStatusFailure(call.method.name(), status, retryAfter);
		call.lastFailure = failure;
		return failure;
	}

	void onResponse(int status) {
		this.breakerRules.onResponse(status);
	}

	FailureKind onFailure(CallState call, Throwable failure) {
		call.lastFailure = failure;
		return this.breakerRules.onFailure(failure);
	}

	void onDeadline() {
		this.breakerRules.onDeadline();
	}

	long planResend(CallState call, Throwable failure) {
		return this.retryRules.planResend(call, failure);
	}

	boolean isBreakerOpen() {
		return this.breakerRules.isOpen();
	}

	long remainingNanos(CallState call) {
		return this.timeoutNanos - (System.nanoTime() - call.startNanos);
	}

	// ---- typed outcomes

	HttpPoolCircuitOpenException circuitOpen(CallState call) {
		return new HttpPoolCircuitOpenException(this.clientName, call.attempts, call.lastFailure);
	}

	HttpPoolDeadlineExceededException deadlineExceeded(CallState call) {
		Duration timeout = (this.timeout != null) ? this.timeout : Duration.ZERO;
		return new HttpPoolDeadlineExceededException(this.clientName, timeout, call.attempts, call.lastFailure);
	}

	private Throwable bulkheadFull(Throwable failure) {
		if (failure instanceof BulkheadFullException && this.bulkhead != null) {
			return new HttpPoolBulkheadFullException(this.clientName,
					this.bulkhead.getBulkheadConfig().getMaxConcurrentCalls());
		}
		return failure;
	}

	static Throwable unwrap(Throwable failure) {
		return (failure instanceof AttemptFailure attempt) ? attempt.failure() : failure;
	}

}
