package io.httppool.resilience;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;

/**
 * The state of one call across its attempts: what the retry and deadline rules need and
 * Resilience4j's per-call context does not expose. Read and written by one thread at a
 * time (the caller's, or the Reactor signals of one call, which are serialised).
 */
class CallState {

	final ResiliencePolicy policy;

	final long startNanos = System.nanoTime();

	final HttpMethod method;

	final HttpHeaders headers;

	int attempts;

	// attempts a connection rotation caught before they were sent, sent again without
	// using up an attempt
	int resends;

	// the wait before the next attempt, decided with the retry and read back by
	// Resilience4j's interval function
	long plannedDelayMillis;

	@Nullable Throwable lastFailure;

	CallState(ResiliencePolicy policy, HttpMethod method, HttpHeaders headers) {
		this.policy = policy;
		this.method = method;
		this.headers = headers;
	}

	final void startAttempt() {
		if (this.attempts == 0) {
			this.policy.recordFirstAttempt();
		}
		this.attempts++;
	}

	final boolean isIdempotent() {
		return ResiliencePolicy.isIdempotent(this.method, this.headers);
	}

	/**
	 * Whether the request can be sent again: a streamed body that an attempt began to
	 * write cannot be.
	 */
	boolean canSendAgain() {
		return true;
	}

}
