package io.httppool.resilience;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import org.jspecify.annotations.Nullable;

/**
 * Parses the {@code Retry-After} response header (RFC 9110 10.2.3): a number of seconds
 * or an HTTP-date.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public final class RetryAfter {

	/**
	 * Value returned when the header is absent or cannot be parsed.
	 */
	public static final long NONE = -1;

	private static final int MAX_SECONDS_DIGITS = 9;

	private RetryAfter() {
	}

	/**
	 * Return the wait the header asks for.
	 * @param value the header value, or {@code null}
	 * @param nowEpochMillis the current time, to turn an HTTP-date into a wait
	 * @return the wait in milliseconds (0 for a date in the past), or {@link #NONE}
	 */
	public static long parseMillis(@Nullable String value, long nowEpochMillis) {
		if (value == null) {
			return NONE;
		}
		String trimmed = value.trim();
		if (trimmed.isEmpty()) {
			return NONE;
		}
		if (isDigits(trimmed)) {
			return (trimmed.length() <= MAX_SECONDS_DIGITS) ? Long.parseLong(trimmed) * 1000 : NONE;
		}
		try {
			long at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
			return Math.max(0, at - nowEpochMillis);
		}
		catch (DateTimeParseException ex) {
			return NONE;
		}
	}

	private static boolean isDigits(String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < '0' || c > '9') {
				return false;
			}
		}
		return true;
	}

}
