package io.httppool.endpoint;

import java.util.Set;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * {@link EndpointWebExtension @EndpointWebExtension} of the {@link HttpPoolsEndpoint}:
 * over HTTP, {@code GET /actuator/httppools/<name>} for an unknown name answers 404 with
 * a JSON body that names the known clients, rather than an empty 404.
 *
 * @author http-pool team
 * @since 0.1.0
 */
@EndpointWebExtension(endpoint = HttpPoolsEndpoint.class)
public class HttpPoolsEndpointWebExtension {

	private final HttpPoolsEndpoint delegate;

	/**
	 * Create a web extension of the given endpoint.
	 * @param delegate the endpoint
	 */
	public HttpPoolsEndpointWebExtension(HttpPoolsEndpoint delegate) {
		this.delegate = delegate;
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
			Set<String> known = this.delegate.clients().names();
			return new WebEndpointResponse<>(
					new NotFoundDescriptor(WebEndpointResponse.STATUS_NOT_FOUND, "Not Found",
							"No http.pool client named '" + name + "'; known clients: " + known, known),
					WebEndpointResponse.STATUS_NOT_FOUND);
		}
		return new WebEndpointResponse<>(pool, WebEndpointResponse.STATUS_OK);
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

}
