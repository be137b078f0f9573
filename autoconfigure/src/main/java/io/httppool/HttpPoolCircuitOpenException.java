package io.httppool;

import org.jspecify.annotations.Nullable;

/**
 * The circuit breaker of a client is open (or its half-open probes are all taken), so the
 * request was refused without touching the network. The breaker opens after
 * {@code circuit-breaker.consecutive-failures} failed attempts in a row (transport
 * failures, timeouts, 5xx) and lets probe calls through after
 * {@code circuit-breaker.initial-open-duration}; each failed probe doubles that wait, up
 * to {@code circuit-breaker.open-duration}.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public class HttpPoolCircuitOpenException extends HttpPoolException {

	private final int attempts;

	/**
	 * Create an exception.
	 * @param clientName the client name
	 * @param attempts attempts of this call that reached the network before the breaker
	 * refused the next one
	 * @param lastFailure the failure of the last attempt, or {@code null} when the call
	 * made none
	 */
	public HttpPoolCircuitOpenException(String clientName, int attempts, @Nullable Throwable lastFailure) {
		super(clientName,
				"Circuit breaker of HTTP pool '" + clientName
						+ "' is open: the call was refused without touching the network after " + attempts
						+ " attempt(s); probe calls are let through after circuit-breaker.initial-open-duration,"
						+ " doubled after each failed probe up to circuit-breaker.open-duration"
						+ ((lastFailure != null) ? "; last failure: " + lastFailure : ""),
				lastFailure);
		this.attempts = attempts;
	}

	/**
	 * Return how many attempts of this call reached the network before the breaker
	 * refused the next one.
	 * @return the attempts, 0 when the breaker was open from the start
	 */
	public int getAttempts() {
		return this.attempts;
	}

}
