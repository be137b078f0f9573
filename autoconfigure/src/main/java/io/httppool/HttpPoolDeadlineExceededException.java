package io.httppool;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * A call ran out of its total deadline ({@code timeout}) while an attempt was in flight:
 * the attempt was cancelled and no further attempt was made. The deadline covers every
 * attempt and every backoff until the response headers arrive. {@link #getTimeout()}
 * returns the deadline, {@link #getKind()} {@link Kind#DEADLINE}.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public class HttpPoolDeadlineExceededException extends HttpPoolTimeoutException {

	private final int attempts;

	/**
	 * Create an exception.
	 * @param clientName the client name
	 * @param timeout the total deadline that passed
	 * @param attempts attempts made, the cancelled one included
	 * @param lastFailure the failure of the last completed attempt, or {@code null} when
	 * the first attempt was still in flight
	 */
	public HttpPoolDeadlineExceededException(String clientName, Duration timeout, int attempts,
			@Nullable Throwable lastFailure) {
		super(clientName, Kind.DEADLINE, timeout, "HTTP pool '" + clientName + "' exceeded its total deadline of "
				+ Kind.format(timeout) + " (" + property(clientName, Kind.DEADLINE) + ") after " + attempts
				+ " attempt(s); "
				+ ((lastFailure != null) ? "last failure: " + lastFailure : "the first attempt got no response"),
				lastFailure);
		this.attempts = attempts;
	}

	/**
	 * Return how many attempts were made, the cancelled one included.
	 * @return the attempts
	 */
	public int getAttempts() {
		return this.attempts;
	}

}
