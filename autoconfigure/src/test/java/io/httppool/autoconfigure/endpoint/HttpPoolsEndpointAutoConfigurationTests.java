package io.httppool.autoconfigure.endpoint;

import java.util.Map;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.httppool.HttpPoolClients;
import io.httppool.autoconfigure.HttpPoolAutoConfiguration;
import io.httppool.autoconfigure.health.HttpPoolHealthContributorAutoConfiguration;
import io.httppool.endpoint.HttpPoolsEndpoint;
import io.httppool.endpoint.HttpPoolsEndpoint.HttpPoolDescriptor;
import io.httppool.endpoint.HttpPoolsEndpointWebExtension;
import io.httppool.endpoint.HttpPoolsEndpointWebExtension.NotFoundDescriptor;
import io.httppool.health.CircuitBreakerStates;
import io.httppool.health.HttpPoolHealthIndicator;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class HttpPoolsEndpointAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HttpPoolAutoConfiguration.class,
				HttpPoolsEndpointAutoConfiguration.class, WebClientAutoConfiguration.class, SslAutoConfiguration.class))
		.withPropertyValues("http.pool.clients.stt.base-url=http://127.0.0.1:1",
				"http.pool.clients.search.base-url=https://search.example.com");

	private final ApplicationContextRunner exposed = this.runner
		.withPropertyValues("management.endpoints.web.exposure.include=httppools");

	@Test
	void whenExposedThenEndpointListsEveryClientInConfigurationOrder() {
		this.exposed.run((context) -> {
			assertThat(context).hasSingleBean(HttpPoolsEndpoint.class)
				.hasSingleBean(HttpPoolsEndpointWebExtension.class);
			HttpPoolsEndpoint endpoint = context.getBean(HttpPoolsEndpoint.class);
			assertThat(endpoint.pools().clients()).containsOnlyKeys("stt", "search");
			assertThat(endpoint.pools().clients().keySet()).containsExactly("stt", "search");
			assertThat(endpoint.pool("search").state().protocol()).isEqualTo("HTTP/2");
			assertThat(endpoint.pool("stt").state().protocol()).isEqualTo("HTTP/1.1");
		});
	}

	@Test
	void whenNotExposedThenNoEndpoint() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(HttpPoolsEndpoint.class)
			.doesNotHaveBean(HttpPoolsEndpointWebExtension.class)
			.hasSingleBean(HttpPoolClients.class));
	}

	@Test
	void whenAccessIsNoneThenNoEndpoint() {
		this.exposed.withPropertyValues("management.endpoint.httppools.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(HttpPoolsEndpoint.class)
				.doesNotHaveBean(HttpPoolsEndpointWebExtension.class));
	}

	@Test
	void whenExposedOverJmxOnlyThenNoWebExtension() {
		this.runner.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=httppools")
			.run((context) -> assertThat(context).hasSingleBean(HttpPoolsEndpoint.class)
				.doesNotHaveBean(HttpPoolsEndpointWebExtension.class));
	}

	@Test
	void whenActuatorIsAbsentThenNoEndpoint() {
		this.exposed.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.run((context) -> assertThat(context).doesNotHaveBean(HttpPoolsEndpoint.class)
				.doesNotHaveBean(HttpPoolsEndpointWebExtension.class)
				.hasSingleBean(HttpPoolClients.class));
	}

	@Test
	void whenUserDefinesEndpointThenAutoConfigurationBacksOff() {
		this.exposed.withUserConfiguration(UserEndpointConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(HttpPoolsEndpoint.class);
			assertThat(context.getBean(HttpPoolsEndpoint.class))
				.isSameAs(context.getBean(UserEndpointConfiguration.class).endpoint);
			assertThat(context.getBean(HttpPoolsEndpointWebExtension.class).pool("stt").getStatus()).isEqualTo(200);
		});
	}

	@Test
	void whenUnknownClientThenWebExtensionAnswers404WithKnownNames() {
		this.exposed.run((context) -> {
			WebEndpointResponse<OperationResponseBody> response = context.getBean(HttpPoolsEndpointWebExtension.class)
				.pool("nope");
			assertThat(response.getStatus()).isEqualTo(404);
			assertThat(response.getBody()).isInstanceOfSatisfying(NotFoundDescriptor.class, (body) -> {
				assertThat(body.message()).contains("'nope'");
				assertThat(body.clients()).containsExactly("stt", "search");
			});
			assertThat(context.getBean(HttpPoolsEndpoint.class).pool("nope")).isNull();
		});
	}

	@Test
	void whenResilience4jRegistryHoldsTheClientsBreakerThenItsStateIsShown() {
		this.exposed.withUserConfiguration(OpenBreakerConfiguration.class).run((context) -> {
			HttpPoolsEndpoint endpoint = context.getBean(HttpPoolsEndpoint.class);
			assertThat(endpoint.pool("stt").state().circuitBreaker()).isEqualTo("OPEN");
			assertThat(endpoint.pool("search").state().circuitBreaker()).isNull();
		});
	}

	@Test
	void whenTheApplicationDefinesCircuitBreakerStatesThenEndpointAndHealthShowWhatItSays() {
		this.exposed.withConfiguration(AutoConfigurations.of(HttpPoolHealthContributorAutoConfiguration.class))
			.withUserConfiguration(OpenBreakerConfiguration.class)
			.withBean(CircuitBreakerStates.class, () -> (name) -> "stt".equals(name) ? "FORCED_OPEN" : null)
			.run((context) -> {
				assertThat(context).hasSingleBean(CircuitBreakerStates.class);
				HttpPoolsEndpoint endpoint = context.getBean(HttpPoolsEndpoint.class);
				assertThat(endpoint.pool("stt").state().circuitBreaker()).isEqualTo("FORCED_OPEN");
				assertThat(endpoint.pool("search").state().circuitBreaker()).isNull();
				CompositeHealthContributor httpPools = context.getBean(CompositeHealthContributor.class);
				HealthIndicator stt = (HealthIndicator) httpPools.getContributor("stt");
				assertThat(stt.health().getDetails()).containsEntry(HttpPoolHealthIndicator.CIRCUIT_BREAKER,
						"FORCED_OPEN");
			});
	}

	@Test
	void whenTheHealthIndicatorIsSwitchedOffThenTheEndpointStillShowsBreakerStates() {
		this.exposed.withConfiguration(AutoConfigurations.of(HttpPoolHealthContributorAutoConfiguration.class))
			.withPropertyValues("management.health.httppools.enabled=false")
			.withUserConfiguration(OpenBreakerConfiguration.class)
			.run((context) -> {
				assertThat(context).doesNotHaveBean(CompositeHealthContributor.class);
				assertThat(context.getBean(HttpPoolsEndpoint.class).pool("stt").state().circuitBreaker())
					.isEqualTo("OPEN");
			});
	}

	@Test
	void whenResilience4jIsAbsentThenNoBreakerStateIsShown() {
		this.exposed.withClassLoader(new FilteredClassLoader(CircuitBreakerRegistry.class)).run((context) -> {
			HttpPoolDescriptor pool = context.getBean(HttpPoolsEndpoint.class).pool("stt");
			assertThat(pool.state().circuitBreaker()).isNull();
			assertThat(pool.state().maxConnections()).isEqualTo(50);
		});
	}

	@Test
	void settingsShowDefaultsMergedWithClientValues() {
		this.exposed
			.withPropertyValues("http.pool.defaults.max-connections=20", "http.pool.defaults.connect-timeout=2s",
					"http.pool.defaults.retry.max-attempts=5", "http.pool.clients.stt.max-connections=4",
					"http.pool.clients.stt.response-timeout=7500ms", "http.pool.clients.stt.protocol=h2c")
			.run((context) -> {
				HttpPoolsEndpoint endpoint = context.getBean(HttpPoolsEndpoint.class);
				Map<String, Object> stt = endpoint.pool("stt").settings();
				assertThat(stt).containsEntry("base-url", "http://127.0.0.1:1")
					.containsEntry("protocol", "h2c")
					.containsEntry("max-connections", 4)
					.containsEntry("connect-timeout", "2s")
					.containsEntry("response-timeout", "7500ms")
					.containsEntry("pending-acquire-timeout", "5s")
					.containsEntry("max-life-time", "5m")
					.containsEntry("timeout", "1m")
					.doesNotContainKeys("read-timeout", "write-timeout", "proxy");
				assertThat(stt.get("retry")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
					.containsEntry("max-attempts", 5)
					.containsEntry("initial-backoff", "200ms");
				Map<String, Object> search = endpoint.pool("search").settings();
				assertThat(search).containsEntry("max-connections", 20).containsEntry("connect-timeout", "2s");
				assertThat(endpoint.pool("stt").state().maxConnections()).isEqualTo(4);
			});
	}

	@Test
	void settingsNeverShowSecrets() {
		this.exposed.withPropertyValues("http.pool.clients.stt.default-headers.Authorization=Bearer s3cr3t-token",
				"http.pool.clients.stt.default-headers.X-Api-Key=k3y-value",
				"http.pool.clients.stt.default-headers.X-Tenant=acme", "http.pool.clients.stt.proxy.host=proxy.local",
				"http.pool.clients.stt.proxy.port=3128", "http.pool.clients.stt.proxy.username=svc",
				"http.pool.clients.stt.proxy.password=pr0xy-pass",
				"http.pool.clients.search.base-url=https://user:url-pass@search.example.com/v1?api_key=q-secret&lang=en")
			.run((context) -> {
				HttpPoolsEndpoint endpoint = context.getBean(HttpPoolsEndpoint.class);
				String all = endpoint.pools().toString();
				assertThat(all).doesNotContain("s3cr3t-token", "k3y-value", "pr0xy-pass", "url-pass", "q-secret");
				Map<String, Object> stt = endpoint.pool("stt").settings();
				assertThat(stt.get("default-headers"))
					.isEqualTo(Map.of("Authorization", "******", "X-Api-Key", "******", "X-Tenant", "acme"));
				assertThat(stt.get("proxy")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
					.containsEntry("host", "proxy.local")
					.containsEntry("username", "svc")
					.containsEntry("password", "******");
				assertThat(endpoint.pool("search").settings()).containsEntry("base-url",
						"https://user:******@search.example.com/v1?api_key=******&lang=en");
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserEndpointConfiguration {

		HttpPoolsEndpoint endpoint;

		@Bean
		HttpPoolsEndpoint customHttpPoolsEndpoint(HttpPoolClients clients) {
			this.endpoint = new HttpPoolsEndpoint(clients, (name) -> "CUSTOM");
			return this.endpoint;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OpenBreakerConfiguration {

		@Bean
		CircuitBreakerRegistry circuitBreakerRegistry() {
			CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
			registry.circuitBreaker("stt").transitionToOpenState();
			return registry;
		}

	}

}
