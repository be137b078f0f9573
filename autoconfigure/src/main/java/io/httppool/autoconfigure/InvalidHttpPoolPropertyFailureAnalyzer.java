package io.httppool.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Renders an {@link InvalidHttpPoolPropertyException} as Spring Boot's "Description /
 * Action" block.
 *
 * @author http-pool team
 */
class InvalidHttpPoolPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidHttpPoolPropertyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidHttpPoolPropertyException cause) {
		String description = "Invalid HTTP pool configuration: " + cause.getMessage() + ".";
		String action = "Update your application's configuration: set " + cause.getProperty() + " to "
				+ cause.getAllowed()
				+ " (in application.yml or through its environment variable, e.g. HTTP_POOL_CLIENTS_<NAME>_...).";
		return new FailureAnalysis(description, action, cause);
	}

}
