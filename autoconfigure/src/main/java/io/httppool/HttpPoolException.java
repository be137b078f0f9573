package io.httppool;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Base class of the exceptions a named client raises: each one names the client, so a log
 * line alone tells an operator which pool to look at.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public abstract class HttpPoolException extends RuntimeException {

	private final String clientName;

	protected HttpPoolException(String clientName, String message, @Nullable Throwable cause) {
		super(message, cause);
		this.clientName = clientName;
	}

	/**
	 * Return the name of the client that raised this exception.
	 * @return the client name
	 */
	public String getClientName() {
		return this.clientName;
	}

	/**
	 * Return the message, which names the client; never {@code null}.
	 * @return the message
	 */
	@Override
	public String getMessage() {
		return Objects.requireNonNull(super.getMessage());
	}

}
