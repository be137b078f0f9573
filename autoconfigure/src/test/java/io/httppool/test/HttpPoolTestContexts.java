package io.httppool.test;

import io.httppool.HttpPoolClients;
import io.httppool.autoconfigure.HttpPoolAutoConfiguration;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.http.ResponseEntity;

/**
 * Application contexts with the core auto-configuration, for tests.
 */
public final class HttpPoolTestContexts {

	private HttpPoolTestContexts() {
	}

	/**
	 * A runner with the core auto-configuration and Spring Boot's WebClient, RestClient
	 * and SSL auto-configurations.
	 * @return the runner
	 */
	public static ApplicationContextRunner core() {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(HttpPoolAutoConfiguration.class,
				WebClientAutoConfiguration.class, RestClientAutoConfiguration.class, SslAutoConfiguration.class));
	}

	/**
	 * A GET of {@code /} on the {@code WebClient} of the given client of a context.
	 * @param context the application context
	 * @param client the client name
	 * @return the response, not subscribed yet
	 */
	public static Mono<ResponseEntity<Void>> getRoot(ApplicationContext context, String client) {
		return context.getBean(HttpPoolClients.class)
			.get(client)
			.webClient()
			.get()
			.uri("/")
			.retrieve()
			.toBodilessEntity();
	}

}
