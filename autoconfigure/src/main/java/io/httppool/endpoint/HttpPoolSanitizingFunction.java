package io.httppool.endpoint;

import java.util.Objects;
import java.util.function.Predicate;

import io.httppool.HttpPoolSanitizer;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * {@link SanitizingFunction} that masks the secrets among {@code http.pool.*} properties
 * in the {@code env} and {@code configprops} endpoints, also with
 * {@code management.endpoint.<id>.show-values=always}: sensitive default header values,
 * the proxy password, the user info's password and sensitive query parameters of URLs.
 * What is secret is decided by {@link HttpPoolSanitizer}; other properties pass through
 * unchanged.
 *
 * @author http-pool team
 * @since 0.2.0
 */
public final class HttpPoolSanitizingFunction implements SanitizingFunction {

	private static final Predicate<SanitizableData> HTTP_POOL_PROPERTY = (data) -> HttpPoolSanitizer
		.isHttpPoolProperty(data.getKey());

	@Override
	public SanitizableData apply(SanitizableData data) {
		Object value = data.getValue();
		Object sanitized = HttpPoolSanitizer.sanitizeProperty(data.getKey(), value);
		if (Objects.equals(value, sanitized)) {
			return data;
		}
		return HttpPoolSanitizer.MASK.equals(sanitized) ? data.withSanitizedValue() : data.withValue(sanitized);
	}

	@Override
	public Predicate<SanitizableData> filter() {
		return HTTP_POOL_PROPERTY;
	}

}
