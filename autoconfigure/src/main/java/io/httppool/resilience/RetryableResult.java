package io.httppool.resilience;

/**
 * A response whose status is one of {@code retry.on-statuses}, on its way to
 * Resilience4j's retry: it carries its call and what it proves, so that the retry's
 * result predicate can apply the per-call rules. Handed to the caller as a working
 * response when retries stop.
 */
interface RetryableResult {

	Status status();

	/**
	 * Release the response before the next attempt.
	 */
	void discard();

	/**
	 * The call of the response, and the failure its status is.
	 *
	 * @param call the call
	 * @param failure the status, as the failure the breaker and the exceptions name
	 */
	record Status(CallState call, HttpStatusFailure failure) {

	}

}
