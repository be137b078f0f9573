package io.httppool.endpoint;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.httppool.NoSuchHttpPoolClientException;
import io.httppool.autoconfigure.HttpPoolResizer;
import io.httppool.autoconfigure.InvalidHttpPoolPropertyException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * {@link EndpointWebExtension @EndpointWebExtension} of the {@link HttpPoolsEndpoint}:
 * over HTTP, {@code GET /actuator/httppools/<name>} for an unknown name answers 404 with
 * a JSON body that names the known clients, rather than an empty 404; and
 * {@code POST /actuator/httppools/<name>} resizes the client's pool, when the endpoint's
 * access allows writes ({@code management.endpoint.httppools.access=unrestricted}).
 *
 * @author http-pool team
 * @since 0.1.0
 */
@EndpointWebExtension(endpoint = HttpPoolsEndpoint.class)
public class HttpPoolsEndpointWebExtension {

	private final HttpPoolsEndpoint delegate;

	private final @Nullable HttpPoolResizer resizer;

	/**
	 * Create a web extension of the given endpoint without a write operation.
	 * @param delegate the endpoint
	 */
	public HttpPoolsEndpointWebExtension(HttpPoolsEndpoint delegate) {
		this(delegate, null);
	}

	/**
	 * Create a web extension of the given endpoint.
	 * @param delegate the endpoint
	 * @param resizer the resizer of the write operation, or {@code null} to answer it
	 * with 404
	 * @since 0.2.0
	 */
	public HttpPoolsEndpointWebExtension(HttpPoolsEndpoint delegate, @Nullable HttpPoolResizer resizer) {
		this.delegate = delegate;
		this.resizer = resizer;
	}

	/**
	 * Describe the client of the given name, or answer 404.
	 * @param name the client name
	 * @return the client, or a 404 response whose body names the known clients
	 */
	@ReadOperation
	public WebEndpointResponse<OperationResponseBody> pool(@Selector String name) {
		HttpPoolsEndpoint.HttpPoolDescriptor pool = this.delegate.pool(name);
		if (pool == null) {
			return notFound(name);
		}
		return new WebEndpointResponse<>(pool, WebEndpointResponse.STATUS_OK);
	}

	/**
	 * Resize the pool of the client of the given name: new calls go to a new pool of the
	 * given sizes, the previous pool drains within {@code http.pool.shutdown-timeout}.
	 * The body's keys are those of {@link HttpPoolResizer#KEYS} (see
	 * {@link ResizeArguments}); a key left out keeps its value.
	 * @param name the client name
	 * @param maxConnections the new {@code max-connections}, or {@code null}
	 * @param pendingAcquireMaxCount the new {@code pending-acquire-max-count}, or
	 * {@code null}
	 * @param http2MaxConcurrentStreams the new {@code http2.max-concurrent-streams}, or
	 * {@code null}
	 * @return the client with its new settings, 404 for an unknown client, or 400 naming
	 * the key of an invalid value and what is allowed
	 * @since 0.2.0
	 */
	@WriteOperation
	public WebEndpointResponse<OperationResponseBody> resize(@Selector String name, @Nullable String maxConnections,
			@Nullable String pendingAcquireMaxCount, @Nullable String http2MaxConcurrentStreams) {
		if (this.resizer == null || this.delegate.clients().find(name) == null) {
			return notFound(name);
		}
		List<String> keys = HttpPoolResizer.KEYS;
		Map<String, Object> values = new LinkedHashMap<>();
		putIfSet(values, keys.get(0), maxConnections);
		putIfSet(values, keys.get(1), pendingAcquireMaxCount);
		putIfSet(values, keys.get(2), http2MaxConcurrentStreams);
		try {
			this.resizer.resize(name, values);
		}
		catch (NoSuchHttpPoolClientException ex) {
			return notFound(name);
		}
		catch (InvalidHttpPoolPropertyException ex) {
			return badRequest(ex);
		}
		return pool(name);
	}

	static WebEndpointResponse<OperationResponseBody> badRequest(InvalidHttpPoolPropertyException ex) {
		return new WebEndpointResponse<>(
				new BadRequestDescriptor(WebEndpointResponse.STATUS_BAD_REQUEST, "Bad Request",
						String.valueOf(ex.getMessage()), ex.getProperty(), ex.getValue(), ex.getAllowed()),
				WebEndpointResponse.STATUS_BAD_REQUEST);
	}

	private static void putIfSet(Map<String, Object> values, String key, @Nullable String value) {
		if (value != null) {
			values.put(key, value);
		}
	}

	private WebEndpointResponse<OperationResponseBody> notFound(String name) {
		Set<String> known = this.delegate.clients().names();
		return new WebEndpointResponse<>(
				new NotFoundDescriptor(WebEndpointResponse.STATUS_NOT_FOUND, "Not Found",
						"No http.pool client named '" + name + "'; known clients: " + known, known),
				WebEndpointResponse.STATUS_NOT_FOUND);
	}

	/**
	 * Body of the 404 answer for an unknown client name.
	 *
	 * @param status the HTTP status, 404
	 * @param error the reason phrase
	 * @param message what went wrong, naming the known clients
	 * @param clients the names of the known clients
	 */
	public record NotFoundDescriptor(int status, String error, String message,
			Set<String> clients) implements OperationResponseBody {

	}

	/**
	 * Body of the 400 answer to a resize with an invalid value.
	 *
	 * @param status the HTTP status, 400
	 * @param error the reason phrase
	 * @param message what went wrong, as at startup:
	 * {@code http.pool.clients.stt.max-connections must be at least 1 but was 0}
	 * @param property the full key of the invalid value
	 * @param value the rejected value
	 * @param allowed what the key allows
	 * @since 0.2.0
	 */
	public record BadRequestDescriptor(int status, String error, String message, String property, String value,
			String allowed) implements OperationResponseBody {

	}

}
