package io.httppool.resilience;

import io.github.resilience4j.retry.Retry;
import org.jspecify.annotations.Nullable;

/**
 * The state of one call across its attempts. Read and written by one thread at a time
 * (the caller's, or the Reactor signals of one call, which are serialised).
 */
class CallState {

	final long startNanos = System.nanoTime();

	Retry.@Nullable AsyncContext<Object> retryContext;

	int attempts;

	// attempts a connection rotation caught before they were sent, sent again without
	// using up an attempt
	int resends;

	long attemptStartNanos;

	@Nullable Throwable lastFailure;

	CallState(ResiliencePolicy policy) {
		this.retryContext = policy.newRetryContext();
	}

}
