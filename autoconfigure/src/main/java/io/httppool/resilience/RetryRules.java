package io.httppool.resilience;

import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.httppool.HttpPoolClientSettings;
import org.jspecify.annotations.Nullable;

/**
 * What one client's Resilience4j {@code Retry} decides with: the idempotency rule, the
 * configured exception predicate (applied to the attempt's own failure), the budget,
 * {@code Retry-After} or the configured backoff capped by {@code retry.max-backoff}, and
 * the deadline; and the re-sends of requests a connection rotation caught unsent, which a
 * Resilience4j retry cannot make without using up an attempt.
 */
final class RetryRules {

	private final ResiliencePolicy policy;

	private final long maxBackoffMillis;

	// the configured backoff and exception predicate of the client's retry
	private IntervalBiFunction<Object> backoff = IntervalBiFunction.ofIntervalFunction((attempt) -> 0L);

	private Predicate<Throwable> retryExceptions = (failure) -> true;

	private @Nullable RetryBudget budget;

	private int maxAttempts = 1;

	RetryRules(ResiliencePolicy policy, HttpPoolClientSettings.Retry settings) {
		this.policy = policy;
		this.maxBackoffMillis = settings.maxBackoff().toMillis();
	}

	/**
	 * Turn the configured retry config into the one the client's {@code Retry} runs: it
	 * decides with {@link #planRetry}, its interval function returns the wait the rules
	 * planned, and retries stop with the last outcome (the last response, or the last
	 * failure as is).
	 */
	RetryConfig configure(RetryConfig configured) {
		this.backoff = configured.getIntervalBiFunction();
		this.retryExceptions = configured.getExceptionPredicate();
		return RetryConfig.custom()
			.maxAttempts(configured.getMaxAttempts())
			.writableStackTraceEnabled(configured.isWritableStackTraceEnabled())
			.retryOnException(RetryRules::isRetriedFailure)
			.retryOnResult(RetryRules::isRetriedResult)
			.intervalBiFunction(RetryRules::plannedDelay)
			.failAfterMaxAttempts(false)
			.build();
	}

	/**
	 * Take the client's registered retry (or none).
	 */
	void bind(@Nullable Retry retry, HttpPoolClientSettings.Retry settings) {
		this.budget = (retry != null) ? new RetryBudget(settings.budget()) : null;
		this.maxAttempts = (retry != null) ? retry.getRetryConfig().getMaxAttempts() : 1;
	}

	void recordFirstAttempt() {
		if (this.budget != null) {
			this.budget.recordFirstAttempt();
		}
	}

	boolean tryAcquirePermit() {
		return this.budget != null && this.budget.tryAcquireRetry();
	}

	private static boolean isRetriedFailure(Throwable failure) {
		return failure instanceof AttemptFailure attempt && attempt.call.policy.retryRules().planRetry(attempt);
	}

	private static boolean isRetriedResult(Object result) {
		return result instanceof RetryableResult retryable
				&& retryable.status().call().policy.retryRules().planRetry(retryable);
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
		if (this.budget == null || call.resends >= this.maxAttempts || this.policy.isBreakerOpen()
				|| !call.canSendAgain()) {
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
		if (!mayRetry || !call.canSendAgain() || !this.retryExceptions.test(failure)) {
			return false;
		}
		// immediately: the upstream asked for another connection, not for time
		return isLastAttempt(call) || plan(call, failure, kind == FailureKind.NOT_PROCESSED);
	}

	private boolean planRetry(RetryableResult result) {
		CallState call = result.status().call();
		if (!call.isIdempotent() || !call.canSendAgain()) {
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
		if (this.policy.isBreakerOpen() || passesDeadline(call, delay)) {
			return false;
		}
		if (this.budget == null || !this.budget.tryAcquireRetry()) {
			return false;
		}
		call.plannedDelayMillis = delay;
		return true;
	}

	private boolean passesDeadline(CallState call, long delayMillis) {
		long timeoutNanos = this.policy.timeoutNanos;
		return timeoutNanos > 0
				&& System.nanoTime() - call.startNanos + TimeUnit.MILLISECONDS.toNanos(delayMillis) >= timeoutNanos;
	}

	private long delayMillis(int retry, Throwable failure) {
		if (failure instanceof HttpStatusFailure status && status.getRetryAfterMillis() != RetryAfter.NONE) {
			return Math.min(this.maxBackoffMillis, status.getRetryAfterMillis());
		}
		long delay = this.backoff.apply(retry, Either.left(failure));
		return Math.max(0, Math.min(this.maxBackoffMillis, delay));
	}

}
