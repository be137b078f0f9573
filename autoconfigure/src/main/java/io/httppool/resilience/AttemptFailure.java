package io.httppool.resilience;

/**
 * A failed attempt on its way to Resilience4j's retry, carrying its call so that the
 * retry's predicate and interval function (which only see the exception) can apply the
 * per-call rules: idempotency, the deadline, the budget. Unwrapped before the caller sees
 * it. No stack trace: it marks a signal, not a place in the code.
 */
final class AttemptFailure extends RuntimeException {

	final CallState call;

	final FailureKind kind;

	AttemptFailure(CallState call, Throwable failure, FailureKind kind) {
		super(failure.toString(), failure, false, false);
		this.call = call;
		this.kind = kind;
	}

	Throwable failure() {
		Throwable cause = getCause();
		return (cause != null) ? cause : this;
	}

}
