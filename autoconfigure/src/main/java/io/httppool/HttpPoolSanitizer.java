package io.httppool;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.lang.Contract;

/**
 * The one place that decides what is secret in a client's configuration and how it is
 * masked. Used by {@link HttpPoolClientSettings#toString()}, validation messages, the
 * {@code httppools} endpoint, the transport's log lines and, adapted into a Spring Boot
 * {@code SanitizingFunction}, the {@code env} and {@code configprops} endpoints. Needs no
 * actuator class.
 * <p>
 * Secrets are: values of headers, query parameters and properties whose name contains
 * {@code authorization}, {@code cookie}, {@code key}, {@code token}, {@code secret},
 * {@code password}, {@code credential}, {@code signature} or {@code session} (in any
 * case), a query parameter named {@code sig}, and the password of a URL's user info. Each
 * is replaced by {@link #MASK}; names, hosts, paths and other values stay readable.
 *
 * @author http-pool team
 * @since 0.2.0
 */
public final class HttpPoolSanitizer {

	/**
	 * What a secret value is replaced with (the same text as Spring Boot's
	 * {@code SanitizableData.SANITIZED_VALUE}).
	 */
	public static final String MASK = "******";

	private static final List<String> SENSITIVE_PARTS = List.of("authorization", "cookie", "key", "token", "secret",
			"password", "credential", "signature", "session");

	private static final List<String> SENSITIVE_NAMES = List.of("sig");

	private static final String PREFIX = "http.pool.";

	private static final String ENVIRONMENT_PREFIX = "http_pool_";

	// scheme://user:password@ : the password ends at the first '@' before any '/', '?',
	// '#'
	private static final Pattern USER_INFO_PASSWORD = Pattern
		.compile("([a-zA-Z][a-zA-Z0-9+.-]*://[^/?#@\\s\"'<>:]*:)[^/?#@\\s\"'<>]*@");

	private static final Pattern QUERY_PARAMETER = Pattern.compile("([?&;])([^=&;#?\\s\"'<>]+)=([^&;#\\s\"'<>]*)");

	private HttpPoolSanitizer() {
	}

	/**
	 * Whether the value of a header, query parameter or property with the given name is a
	 * secret.
	 * @param name the name, in any case ({@code Authorization}, {@code api_key},
	 * {@code proxy.password})
	 * @return whether the value must never be logged or shown
	 */
	public static boolean isSensitive(String name) {
		String lower = name.toLowerCase(Locale.ROOT);
		return SENSITIVE_NAMES.contains(lower) || SENSITIVE_PARTS.stream().anyMatch(lower::contains);
	}

	/**
	 * Mask the secrets of every URL in a text: the password of the user info
	 * ({@code https://svc:******@host}) and the values of sensitive query parameters
	 * ({@code ?api_key=******}). Works on invalid URLs and on messages that contain URLs.
	 * @param text a URL, or a message that may contain URLs, or {@code null}
	 * @return the text with its secrets masked, or {@code null}
	 */
	@Contract("!null -> !null")
	public static @Nullable String sanitize(@Nullable String text) {
		if (text == null || (text.indexOf('@') < 0 && text.indexOf('=') < 0)) {
			return text;
		}
		String masked = USER_INFO_PASSWORD.matcher(text).replaceAll("$1" + Matcher.quoteReplacement(MASK) + "@");
		Matcher parameter = QUERY_PARAMETER.matcher(masked);
		StringBuilder result = new StringBuilder();
		while (parameter.find()) {
			String replacement = isSensitive(parameter.group(2)) ? parameter.group(1) + parameter.group(2) + "=" + MASK
					: parameter.group();
			parameter.appendReplacement(result, Matcher.quoteReplacement(replacement));
		}
		parameter.appendTail(result);
		return result.toString();
	}

	/**
	 * Headers with the values of sensitive ones replaced by {@link #MASK}.
	 * @param headers the headers
	 * @return the masked headers, in the same order
	 */
	public static Map<String, String> sanitizeHeaders(Map<String, String> headers) {
		Map<String, String> masked = new LinkedHashMap<>();
		headers.forEach((name, value) -> masked.put(name, isSensitive(name) ? MASK : sanitize(value)));
		return masked;
	}

	/**
	 * Mask the value of an {@code http.pool.*} property when it is secret: the whole
	 * value when the last part of the key is sensitive ({@code proxy.password},
	 * {@code default-headers.Authorization}), the secrets of URLs in any other text value
	 * ({@code base-url}). Keys are accepted in every form the {@code Environment} and
	 * {@code configprops} use ({@code default-headers.X-Api-Key},
	 * {@code defaultHeaders[X-Api-Key]}, {@code HTTP_POOL_CLIENTS_STT_PROXY_PASSWORD}).
	 * Values of other keys are returned as they are.
	 * @param key the property key
	 * @param value the value, or {@code null}
	 * @return the value to show, or {@code null}
	 */
	public static @Nullable Object sanitizeProperty(String key, @Nullable Object value) {
		if (value == null || !isHttpPoolProperty(key)) {
			return value;
		}
		if (isSensitive(lastPart(key))) {
			return MASK;
		}
		return (value instanceof CharSequence text) ? sanitize(text.toString()) : value;
	}

	/**
	 * Whether the key is one of the starter's properties ({@code http.pool.*}, in any
	 * form).
	 * @param key the property key
	 * @return whether the key starts with {@code http.pool.} or {@code HTTP_POOL_}
	 */
	public static boolean isHttpPoolProperty(String key) {
		return key.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
				|| key.regionMatches(true, 0, ENVIRONMENT_PREFIX, 0, ENVIRONMENT_PREFIX.length());
	}

	private static String lastPart(String key) {
		int bracket = key.lastIndexOf('[');
		if (bracket >= 0 && key.endsWith("]")) {
			return key.substring(bracket + 1, key.length() - 1);
		}
		return key.substring(Math.max(key.lastIndexOf('.'), key.lastIndexOf('_')) + 1);
	}

}
