package io.httppool;

import java.util.Collection;

/**
 * No client of the given name is configured under {@code http.pool.clients}.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public class NoSuchHttpPoolClientException extends HttpPoolException {

	public NoSuchHttpPoolClientException(String clientName, Collection<String> configured) {
		super(clientName, "No HTTP pool client named '" + clientName + "'; configured clients: " + configured
				+ " (add it under http.pool.clients." + clientName + ")", null);
	}

}
