package io.httppool.test;

import io.httppool.autoconfigure.HttpPoolAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

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

}
