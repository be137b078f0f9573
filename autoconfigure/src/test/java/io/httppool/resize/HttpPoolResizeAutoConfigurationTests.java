package io.httppool.resize;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.httppool.HttpPoolClientFactory;
import io.httppool.HttpPoolClients;
import io.httppool.autoconfigure.HttpPoolResizer;
import io.httppool.autoconfigure.HttpPoolSettingsMapper;
import io.httppool.autoconfigure.InvalidHttpPoolPropertyException;
import io.httppool.autoconfigure.resize.HttpPoolRefreshListener;
import io.httppool.autoconfigure.resize.HttpPoolResizeAutoConfiguration;
import io.httppool.endpoint.HttpPoolsEndpointWebExtension;
import io.httppool.endpoint.ResizeArguments;
import io.httppool.test.HttpPoolTestContexts;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The resize auto-configuration: the resizer, its back-off, its validation by the startup
 * rules, and no refresh listener without {@code spring-cloud-context} (absent from the
 * build's default test execution).
 */
class HttpPoolResizeAutoConfigurationTests {

	private final ApplicationContextRunner runner = HttpPoolTestContexts.core()
		.withConfiguration(AutoConfigurations.of(HttpPoolResizeAutoConfiguration.class))
		.withPropertyValues("http.pool.clients.stt.protocol=h2c", "http.pool.clients.stt.base-url=http://127.0.0.1:9",
				"http.pool.clients.stt.max-connections=4", "http.pool.clients.stt.http2.min-connections=2");

	@Test
	void whenClientsAreConfiguredThenAResizerResizesTheirPools() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(HttpPoolResizer.class).doesNotHaveBean(HttpPoolRefreshListener.class);
			HttpPoolClients clients = context.getBean(HttpPoolClients.class);
			context.getBean(HttpPoolResizer.class).resize("stt", Map.of("max-connections", 9));
			assertThat(clients.get("stt").settings().pool().maxConnections()).isEqualTo(9);
			assertThat(clients.get("stt").state().maxConnections()).isEqualTo(9);
			context.getBean(HttpPoolResizer.class).resize("stt", Map.of("http2.max-concurrent-streams", "30"));
			assertThat(clients.get("stt").settings().pool().maxConnections()).as("an earlier resize stays")
				.isEqualTo(9);
			assertThat(clients.get("stt").settings().http2().maxConcurrentStreams()).isEqualTo(30);
		});
	}

	@Test
	void whenAResizeBreaksARuleAcrossKeysThenItFailsLikeAtStartup() {
		this.runner.run((context) -> {
			assertThatExceptionOfType(InvalidHttpPoolPropertyException.class)
				.isThrownBy(() -> context.getBean(HttpPoolResizer.class).resize("stt", Map.of("max-connections", 1)))
				.withMessage(
						"http.pool.clients.stt.http2.min-connections must be at most max-connections (1) but was 2");
			assertThat(context.getBean(HttpPoolClients.class).get("stt").settings().pool().maxConnections())
				.isEqualTo(4);
		});
	}

	@Test
	void whenTheApplicationDefinesAResizerThenTheAutoConfigurationBacksOff() {
		this.runner.withUserConfiguration(OwnResizer.class)
			.run((context) -> assertThat(context).hasSingleBean(HttpPoolResizer.class).hasBean("ownResizer"));
	}

	@Test
	void everyResizableKeyHasAParameterOfTheWriteOperation() {
		Method resize = Arrays.stream(HttpPoolsEndpointWebExtension.class.getMethods())
			.filter((method) -> method.getName().equals("resize"))
			.findFirst()
			.orElseThrow();
		List<String> parameters = Arrays.stream(resize.getParameters()).map(Parameter::getName).toList();
		assertThat(parameters).containsExactly("name", ResizeArguments.parameterName("max-connections"),
				ResizeArguments.parameterName("pending-acquire-max-count"),
				ResizeArguments.parameterName("http2.max-concurrent-streams"));
		assertThat(HttpPoolResizer.KEYS.stream().map(ResizeArguments::parameterName))
			.containsExactlyElementsOf(parameters.subList(1, parameters.size()));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnResizer {

		@Bean
		HttpPoolResizer ownResizer(HttpPoolClients clients, HttpPoolClientFactory factory,
				HttpPoolSettingsMapper mapper, Environment environment) {
			return new HttpPoolResizer(clients, factory, mapper, environment);
		}

	}

}
