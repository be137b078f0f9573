package io.httppool.ratelimit;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.httppool.resilience.RetryAfter;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;

/**
 * Reads what an upstream says about its quota in a response: the OpenAI-style
 * {@code x-ratelimit-limit-requests}, {@code x-ratelimit-remaining-requests} and
 * {@code x-ratelimit-reset-requests} ({@code 1s}, {@code 6m0s}, {@code 20ms}); the IETF
 * draft headers {@code RateLimit} and {@code RateLimit-Policy} in both their forms (draft
 * 7: {@code limit=100, remaining=50, reset=5} and {@code 100;w=60}; draft 8 and later:
 * {@code "default";r=50;t=30} and {@code "default";q=100;w=60}) and the earlier separate
 * {@code RateLimit-Limit}, {@code RateLimit-Remaining}, {@code RateLimit-Reset}; and a
 * 429's {@code Retry-After}. Several policies or limits in one header: the tightest wins.
 *
 * @author http-pool team
 */
final class RateLimitHeaders {

	static final String OPENAI_LIMIT = "x-ratelimit-limit-requests";

	static final String OPENAI_REMAINING = "x-ratelimit-remaining-requests";

	static final String OPENAI_RESET = "x-ratelimit-reset-requests";

	static final String RATE_LIMIT = "RateLimit";

	static final String RATE_LIMIT_POLICY = "RateLimit-Policy";

	static final String RATE_LIMIT_LIMIT = "RateLimit-Limit";

	static final String RATE_LIMIT_REMAINING = "RateLimit-Remaining";

	static final String RATE_LIMIT_RESET = "RateLimit-Reset";

	private static final Pattern GO_DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|\u00b5s|ms|s|m|h)");

	private RateLimitHeaders() {
	}

	/**
	 * Return what the response says about the quota.
	 * @param status the response status
	 * @param headers the response headers
	 * @param nowMillis the current time, for a {@code Retry-After} date
	 * @return the observation, or {@code null} when the response says nothing
	 */
	static @Nullable Observation parse(int status, HttpHeaders headers, long nowMillis) {
		Builder found = new Builder();
		openAi(headers, found);
		ietf(headers, found);
		if (status == 429) {
			found.retryAfterMillis = RetryAfter.parseMillis(headers.getFirst(HttpHeaders.RETRY_AFTER), nowMillis);
			found.any = true;
		}
		return found.any ? found.build() : null;
	}

	private static void openAi(HttpHeaders headers, Builder found) {
		found.limit(parseLong(headers.getFirst(OPENAI_LIMIT)), Observation.NONE);
		found.remaining(parseLong(headers.getFirst(OPENAI_REMAINING)),
				parseGoDurationMillis(headers.getFirst(OPENAI_RESET)));
	}

	private static void ietf(HttpHeaders headers, Builder found) {
		found.limit(parseLong(headers.getFirst(RATE_LIMIT_LIMIT)), Observation.NONE);
		found.remaining(parseLong(headers.getFirst(RATE_LIMIT_REMAINING)),
				secondsToMillis(parseLong(headers.getFirst(RATE_LIMIT_RESET))));
		for (String policy : members(headers.get(RATE_LIMIT_POLICY))) {
			// draft 7: 100;w=60 ; draft 8+: "default";q=100;w=60
			String[] parts = policy.split(";");
			long quota = parseLong(param(parts, "q"));
			if (quota == Observation.NONE) {
				quota = parseLong(parts[0]);
			}
			found.limit(quota, secondsToMillis(parseLong(param(parts, "w"))));
		}
		long limit = Observation.NONE;
		long remaining = Observation.NONE;
		long reset = Observation.NONE;
		for (String member : members(headers.get(RATE_LIMIT))) {
			String[] parts = member.split(";");
			if (parts.length > 1 || member.startsWith("\"")) {
				// draft 8+: "default";r=50;t=30
				found.remaining(parseLong(param(parts, "r")), secondsToMillis(parseLong(param(parts, "t"))));
				continue;
			}
			// draft 7: limit=100, remaining=50, reset=5
			int equals = member.indexOf('=');
			if (equals > 0) {
				String key = member.substring(0, equals).trim();
				long value = parseLong(member.substring(equals + 1));
				switch (key) {
					case "limit" -> limit = value;
					case "remaining" -> remaining = value;
					case "reset" -> reset = value;
					default -> {
					}
				}
			}
		}
		found.limit(limit, Observation.NONE);
		found.remaining(remaining, secondsToMillis(reset));
	}

	private static List<String> members(@Nullable List<String> values) {
		if (values == null || values.isEmpty()) {
			return List.of();
		}
		return List.of(String.join(",", values).split(","))
			.stream()
			.map(String::trim)
			.filter((m) -> !m.isEmpty())
			.toList();
	}

	private static @Nullable String param(String[] parts, String name) {
		for (int i = 1; i < parts.length; i++) {
			String part = parts[i].trim();
			if (part.startsWith(name + "=")) {
				return part.substring(name.length() + 1);
			}
		}
		return null;
	}

	private static long parseLong(@Nullable String value) {
		if (value == null) {
			return Observation.NONE;
		}
		try {
			long parsed = Long.parseLong(value.trim());
			return (parsed >= 0) ? parsed : Observation.NONE;
		}
		catch (NumberFormatException ex) {
			return Observation.NONE;
		}
	}

	private static long secondsToMillis(long seconds) {
		return (seconds >= 0 && seconds < Long.MAX_VALUE / 1000) ? seconds * 1000 : Observation.NONE;
	}

	/**
	 * Parse a Go duration as OpenAI sends it ({@code 1s}, {@code 6m0s}, {@code 20ms},
	 * {@code 1h2m3.5s}); a plain number is seconds.
	 * @param value the header value, or {@code null}
	 * @return the duration in milliseconds, or {@link Observation#NONE}
	 */
	static long parseGoDurationMillis(@Nullable String value) {
		if (value == null || value.isBlank()) {
			return Observation.NONE;
		}
		String trimmed = value.trim();
		try {
			return Math.round(Double.parseDouble(trimmed) * 1000);
		}
		catch (NumberFormatException ex) {
			// a unit follows
		}
		Matcher matcher = GO_DURATION_PART.matcher(trimmed);
		double millis = 0;
		int end = 0;
		while (matcher.find() && matcher.start() == end) {
			double amount = Double.parseDouble(matcher.group(1));
			millis += switch (matcher.group(2)) {
				case "h" -> amount * 3_600_000;
				case "m" -> amount * 60_000;
				case "s" -> amount * 1000;
				case "ms" -> amount;
				case "ns" -> amount / 1_000_000;
				default -> amount / 1000;
			};
			end = matcher.end();
		}
		return (end == trimmed.length() && end > 0) ? Math.round(millis) : Observation.NONE;
	}

	/**
	 * What one response said about the quota; {@link #NONE} for what it did not say.
	 *
	 * @param limit requests allowed per window
	 * @param windowMillis the window of {@code limit}, when the headers name it
	 * @param remaining requests left until {@code resetMillis}
	 * @param resetMillis time until the quota is replenished
	 * @param retryAfterMillis the wait a 429 asked for
	 */
	record Observation(long limit, long windowMillis, long remaining, long resetMillis, long retryAfterMillis) {

		static final long NONE = -1;

	}

	private static final class Builder {

		boolean any;

		long limit = Observation.NONE;

		long windowMillis = Observation.NONE;

		long remaining = Observation.NONE;

		long resetMillis = Observation.NONE;

		long retryAfterMillis = Observation.NONE;

		// the policy with the lowest rate wins
		void limit(long limit, long windowMillis) {
			if (limit <= 0) {
				return;
			}
			this.any = true;
			if (this.limit == Observation.NONE || rate(limit, windowMillis) < rate(this.limit, this.windowMillis)) {
				this.limit = limit;
				this.windowMillis = windowMillis;
			}
		}

		private static double rate(long limit, long windowMillis) {
			// without a window, compare the limits alone
			return (windowMillis > 0) ? (double) limit / windowMillis : limit;
		}

		// the fewest requests left wins
		void remaining(long remaining, long resetMillis) {
			if (remaining < 0 || resetMillis < 0) {
				return;
			}
			this.any = true;
			if (this.remaining == Observation.NONE || remaining < this.remaining) {
				this.remaining = remaining;
				this.resetMillis = resetMillis;
			}
		}

		Observation build() {
			return new Observation(this.limit, this.windowMillis, this.remaining, this.resetMillis,
					this.retryAfterMillis);
		}

	}

}
