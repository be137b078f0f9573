package io.httppool.autoconfigure;

import io.httppool.HttpPoolClient;
import io.httppool.HttpPoolClientFactory;
import io.httppool.HttpPoolClients;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.client.support.RestClientHttpServiceGroupConfigurer;
import org.springframework.web.reactive.function.client.support.WebClientHttpServiceGroupConfigurer;

/**
 * Runs Spring HTTP service groups ({@code @ImportHttpServices(group = "<name>")}) whose
 * name matches a configured client on that client's pool. Ordered after Spring Boot's own
 * group configurers, so the client's connector, base URL and headers win.
 *
 * @author http-pool team
 */
@Configuration(proxyBeanMethods = false)
class HttpPoolServiceGroupsConfiguration {

	/**
	 * Order of the group configurers: after Spring Boot's property and customizer ones.
	 */
	static final int ORDER = Ordered.LOWEST_PRECEDENCE - 100;

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(WebClientHttpServiceGroupConfigurer.class)
	static class WebClientGroups {

		@Bean
		WebClientHttpServiceGroupConfigurer httpPoolWebClientHttpServiceGroupConfigurer(HttpPoolClients clients,
				HttpPoolClientFactory factory) {
			return new WebClientHttpServiceGroupConfigurer() {

				@Override
				public void configureGroups(
						Groups<org.springframework.web.reactive.function.client.WebClient.Builder> groups) {
					groups.filter((group) -> clients.find(group.name()) != null)
						.forEachClient((group, builder) -> factory.configure(clients.get(group.name()), builder));
				}

				@Override
				public int getOrder() {
					return ORDER;
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(RestClientHttpServiceGroupConfigurer.class)
	static class RestClientGroups {

		@Bean
		RestClientHttpServiceGroupConfigurer httpPoolRestClientHttpServiceGroupConfigurer(HttpPoolClients clients,
				HttpPoolClientFactory factory) {
			return new RestClientHttpServiceGroupConfigurer() {

				@Override
				public void configureGroups(Groups<org.springframework.web.client.RestClient.Builder> groups) {
					groups.filter((group) -> clients.find(group.name()) != null)
						.forEachClient((group, builder) -> factory.configure(clients.get(group.name()), builder));
				}

				@Override
				public int getOrder() {
					return ORDER;
				}

			};
		}

	}

}
