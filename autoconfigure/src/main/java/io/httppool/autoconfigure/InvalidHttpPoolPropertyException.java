package io.httppool.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * A {@code http.pool.*} property holds a value the starter cannot work with. Raised at
 * startup; {@link InvalidHttpPoolPropertyFailureAnalyzer} renders it.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public class InvalidHttpPoolPropertyException extends IllegalStateException {

	private final String property;

	private final String value;

	private final String allowed;

	/**
	 * Create an exception for one property.
	 * @param property the full key, for example
	 * {@code http.pool.clients.stt.max-connections}
	 * @param value the value as it may be shown (secrets already masked), or {@code null}
	 * when unset
	 * @param allowed what is allowed, completing "must be ..."
	 */
	public InvalidHttpPoolPropertyException(String property, @Nullable Object value, String allowed) {
		super(property + " must be " + allowed + " but was " + value);
		this.property = property;
		this.value = String.valueOf(value);
		this.allowed = allowed;
	}

	/**
	 * Return the full key of the property.
	 * @return the property key
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * Return the rejected value, secrets masked.
	 * @return the value
	 */
	public String getValue() {
		return this.value;
	}

	/**
	 * Return what the property allows.
	 * @return the allowed values
	 */
	public String getAllowed() {
		return this.allowed;
	}

}
