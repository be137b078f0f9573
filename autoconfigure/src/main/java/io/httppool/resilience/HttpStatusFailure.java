package io.httppool.resilience;

/**
 * An attempt answered with a status the client treats as a failure: one of
 * {@code retry.on-statuses}, or a 5xx. It is what the circuit breaker records and what
 * {@link io.httppool.HttpPoolDeadlineExceededException} and
 * {@link io.httppool.HttpPoolCircuitOpenException} name as their last failure. Created
 * without a stack trace: it describes an answer, not a place in the code.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public class HttpStatusFailure extends RuntimeException {

	private final int status;

	private final long retryAfterMillis;

	/**
	 * Create a failure.
	 * @param method the request method
	 * @param status the response status
	 * @param retryAfterMillis the wait asked for by {@code Retry-After}, or {@code -1}
	 */
	public HttpStatusFailure(String method, int status, long retryAfterMillis) {
		super(method + " answered " + status
				+ ((retryAfterMillis != RetryAfter.NONE) ? " (Retry-After " + retryAfterMillis + " ms)" : ""), null,
				false, false);
		this.status = status;
		this.retryAfterMillis = retryAfterMillis;
	}

	/**
	 * Return the response status.
	 * @return the status code
	 */
	public int getStatus() {
		return this.status;
	}

	/**
	 * Return the wait the response asked for with {@code Retry-After}.
	 * @return the wait in milliseconds, or {@code -1}
	 */
	public long getRetryAfterMillis() {
		return this.retryAfterMillis;
	}

}
