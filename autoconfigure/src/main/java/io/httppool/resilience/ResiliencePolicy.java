package io.httppool.resilience;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.httppool.HttpPoolBulkheadFullException;
import io.httppool.HttpPoolCircuitOpenException;
import io.httppool.HttpPoolClientSettings;
import io.httppool.HttpPoolDeadlineExceededException;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.ClientHttpResponse;
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
 * What Resilience4j cannot express, and is therefore done here:
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

	private final FailureClassifier classifier;

	private final boolean[] retryStatuses = new boolean[STATUS_LIMIT];

	private final long maxBackoffMillis;

	private final @Nullable Duration timeout;

	final long timeoutNanos;

	// the configured backoff and exception predicate of the client's retry, applied by
	// the rules below
	private IntervalBiFunction<Object> backoff = IntervalBiFunction.ofIntervalFunction((attempt) -> 0L);

	private Predicate<Throwable> retryExceptions = (failure) -> true;

	final @Nullable CircuitBreaker breaker;

	final @Nullable Retry retry;

	final @Nullable Bulkhead bulkhead;

	private final @Nullable RetryBudget budget;

	private final int maxAttempts;

	// Resilience4j's Reactor operators, built once: each apply() is per call
	final @Nullable CircuitBreakerOperator<ClientResponse> breakerOperator;

	final @Nullable RetryOperator<ClientResponse> retryOperator;

	final @Nullable BulkheadOperator<ClientResponse> bulkheadOperator;

	// a bulkhead that waits for a permission blocks the thread that subscribes
	final boolean bulkheadWaits;

	final Function<Throwable, Throwable> bulkheadFull = this::bulkheadFull;

	private ResiliencePolicy(HttpPoolClientSettings settings, FailureClassifier classifier,
			Resilience4jInstances instances) {
		HttpPoolClientSettings.Retry retrySettings = settings.retry();
		this.clientName = settings.name();
		this.classifier = classifier;
		for (int status : retrySettings.onStatuses()) {
			this.retryStatuses[status] = true;
		}
		this.maxBackoffMillis = retrySettings.maxBackoff().toMillis();
		this.timeout = settings.timeout();
		this.timeoutNanos = (this.timeout != null) ? this.timeout.toNanos() : 0;
		this.breaker = instances.circuitBreaker(this::withBreakerRules);
		this.retry = instances.retry(this::withRetryRules);
		this.bulkhead = instances.bulkhead();
		this.budget = (this.retry != null) ? new RetryBudget(retrySettings.budget()) : null;
		this.maxAttempts = (this.retry != null) ? this.retry.getRetryConfig().getMaxAttempts() : 1;
		this.breakerOperator = (this.breaker != null) ? CircuitBreakerOperator.of(this.breaker) : null;
		this.retryOperator = (this.retry != null) ? RetryOperator.of(this.retry) : null;
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
		return this.budget != null && this.budget.tryAcquireRetry();
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

	// ---- the rules given to Resilience4j

	/**
	 * The breaker counts what proves the upstream failing (connect and transport
	 * failures, a deadline that cut an attempt short, 5xx answers) and ignores the rest
	 * (the permission is given back): pool exhaustion, requests a GOAWAY left
	 * unprocessed, the other streams of a lost connection, non-transport errors. The
	 * configured record, ignore and result predicates still apply on top.
	 */
	private CircuitBreakerConfig withBreakerRules(CircuitBreakerConfig configured) {
		Predicate<Throwable> record = configured.getRecordExceptionPredicate();
		Predicate<Throwable> ignore = configured.getIgnoreExceptionPredicate();
		Predicate<Object> recordResult = configured.getRecordResultPredicate();
		return CircuitBreakerConfig.from(configured)
			// the configured classes are part of the predicates above
			.recordExceptions()
			.ignoreExceptions()
			.ignoreException((failure) -> ignore.test(failure) || !countsAgainstUpstream(failure))
			.recordException(record)
			.recordResult((result) -> statusOf(result) >= 500 || recordResult.test(result))
			.build();
	}

	/**
	 * The retry decides with the rules of this policy ({@link #planRetry}), after the
	 * configured exception predicate (applied to the attempt's own failure); its interval
	 * function returns the wait the rules planned: the configured backoff or
	 * {@code Retry-After}, capped by {@code retry.max-backoff}. Retries stop with the
	 * last outcome: the last response, or the last failure as is.
	 */
	private RetryConfig withRetryRules(RetryConfig configured) {
		this.backoff = configured.getIntervalBiFunction();
		this.retryExceptions = configured.getExceptionPredicate();
		return RetryConfig.custom()
			.maxAttempts(configured.getMaxAttempts())
			.writableStackTraceEnabled(configured.isWritableStackTraceEnabled())
			.retryOnException(ResiliencePolicy::isRetriedFailure)
			.retryOnResult(ResiliencePolicy::isRetriedResult)
			.intervalBiFunction(ResiliencePolicy::plannedDelay)
			.failAfterMaxAttempts(false)
			.build();
	}

	private static boolean isRetriedFailure(Throwable failure) {
		return failure instanceof AttemptFailure attempt && attempt.call.policy.planRetry(attempt);
	}

	private static boolean isRetriedResult(Object result) {
		return result instanceof RetryableResult retryable && retryable.status().call().policy.planRetry(retryable);
	}

	private static Long plannedDelay(Integer attempt, Either<Throwable, Object> outcome) {
		CallState call = null;
		if (outcome.isLeft() && outcome.getLeft() instanceof AttemptFailure failure) {
			call = failure.call;
		}
		else if (outcome.isRight() && outcome.get() instanceof RetryableResult retryable) {
			call = retryable.status().call();
		}
		return (call != null) ? call.plannedDelayMillis : 0L;
	}

	private static int statusOf(Object result) {
		if (result instanceof ClientResponse response) {
			return response.statusCode().value();
		}
		if (result instanceof ClientHttpResponse response) {
			try {
				return response.getStatusCode().value();
			}
			catch (java.io.IOException ex) {
				return 0;
			}
		}
		return 0;
	}

	private boolean countsAgainstUpstream(Throwable failure) {
		if (failure instanceof HttpPoolDeadlineExceededException) {
			return true;
		}
		FailureKind kind = this.classifier.classify(failure);
		return kind == FailureKind.CONNECT || kind == FailureKind.TRANSPORT;
	}

	// ---- per attempt

	void recordFirstAttempt() {
		if (this.budget != null) {
			this.budget.recordFirstAttempt();
		}
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

	/**
	 * Record a response the breaker has seen.
	 */
	void onResponse(int status) {
		if (status >= 500) {
			reopenIfProbe();
		}
	}

	/**
	 * Classify a failed attempt once the breaker has seen it.
	 */
	FailureKind onFailure(CallState call, Throwable failure) {
		call.lastFailure = failure;
		FailureKind kind = this.classifier.classify(failure);
		if (kind == FailureKind.CONNECT || kind == FailureKind.TRANSPORT) {
			reopenIfProbe();
		}
		return kind;
	}

	void onDeadline() {
		reopenIfProbe();
	}

	// a failed probe reopens the breaker at once instead of waiting for the others
	private void reopenIfProbe() {
		CircuitBreaker breaker = this.breaker;
		if (breaker != null && breaker.getState() == CircuitBreaker.State.HALF_OPEN) {
			try {
				breaker.transitionToOpenState();
			}
			catch (RuntimeException ex) {
				// another thread moved the breaker on first
			}
		}
	}

	/**
	 * A connection rotation (a GOAWAY, or one racing the stream's acquire) caught the
	 * attempt before it was sent: send it again without using up an attempt or the
	 * budget, which exist to spare the upstream, at most {@code maxAttempts} times per
	 * call. The first time at once (the next attempt takes another connection), later
	 * ones after the backoff: the client's connections, opened together, tend to rotate
	 * together.
	 * @return the wait before sending it again in milliseconds, or -1 to hand the failure
	 * to the retry
	 */
	long planResend(CallState call, Throwable failure) {
		if (this.retry == null || call.resends >= this.maxAttempts || isBreakerOpen()) {
			return -1;
		}
		long delay = (call.resends == 0) ? 0 : delayMillis(call.resends, failure);
		if (passesDeadline(call, delay)) {
			return -1;
		}
		call.resends++;
		return delay;
	}

	private boolean planRetry(AttemptFailure attempt) {
		CallState call = attempt.call;
		FailureKind kind = attempt.kind;
		Throwable failure = attempt.failure();
		boolean mayRetry = kind == FailureKind.CONNECT || kind == FailureKind.POOL || kind == FailureKind.NOT_PROCESSED
				|| ((kind == FailureKind.TRANSPORT || kind == FailureKind.LOST_WITH_CONNECTION) && call.isIdempotent());
		if (!mayRetry || !this.retryExceptions.test(failure)) {
			return false;
		}
		// immediately: the upstream asked for another connection, not for time
		return isLastAttempt(call) || plan(call, failure, kind == FailureKind.NOT_PROCESSED);
	}

	private boolean planRetry(RetryableResult result) {
		CallState call = result.status().call();
		if (!call.isIdempotent()) {
			return false;
		}
		if (isLastAttempt(call)) {
			return true;
		}
		if (!plan(call, result.status().failure(), false)) {
			return false;
		}
		result.discard();
		return true;
	}

	// retryable, but max-attempts is reached: Resilience4j ends the call with this
	// outcome and books it as failed after retries
	private boolean isLastAttempt(CallState call) {
		return call.attempts - call.resends >= this.maxAttempts;
	}

	private boolean plan(CallState call, Throwable failure, boolean immediately) {
		int attempts = call.attempts - call.resends;
		long delay = immediately ? 0 : delayMillis(attempts, failure);
		if (isBreakerOpen() || passesDeadline(call, delay)) {
			return false;
		}
		if (this.budget == null || !this.budget.tryAcquireRetry()) {
			return false;
		}
		call.plannedDelayMillis = delay;
		return true;
	}

	private boolean passesDeadline(CallState call, long delayMillis) {
		return this.timeoutNanos > 0 && System.nanoTime() - call.startNanos
				+ TimeUnit.MILLISECONDS.toNanos(delayMillis) >= this.timeoutNanos;
	}

	private boolean isBreakerOpen() {
		CircuitBreaker breaker = this.breaker;
		return breaker != null && (breaker.getState() == CircuitBreaker.State.OPEN
				|| breaker.getState() == CircuitBreaker.State.FORCED_OPEN);
	}

	private long delayMillis(int retry, Throwable failure) {
		if (failure instanceof HttpStatusFailure status && status.getRetryAfterMillis() != RetryAfter.NONE) {
			return Math.min(this.maxBackoffMillis, status.getRetryAfterMillis());
		}
		long delay = this.backoff.apply(retry, Either.left(failure));
		return Math.max(0, Math.min(this.maxBackoffMillis, delay));
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
