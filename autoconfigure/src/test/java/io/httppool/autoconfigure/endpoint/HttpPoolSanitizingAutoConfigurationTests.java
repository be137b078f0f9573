package io.httppool.autoconfigure.endpoint;

import io.httppool.endpoint.HttpPoolSanitizingFunction;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.Sanitizer;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class HttpPoolSanitizingAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HttpPoolSanitizingAutoConfiguration.class));

	@Test
	void whenActuatorIsPresentThenHttpPoolSecretsAreSanitizedEvenWithShowValuesAlways() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(HttpPoolSanitizingFunction.class);
			Sanitizer sanitizer = new Sanitizer(context.getBeansOfType(SanitizingFunction.class).values());
			assertThat(sanitizer.sanitize(data("http.pool.clients.stt.proxy.password", "hunter2"), true))
				.isEqualTo("******");
			assertThat(sanitizer.sanitize(data("http.pool.clients.stt.defaultHeaders.Authorization", "Bearer t"), true))
				.isEqualTo("******");
			assertThat(
					sanitizer.sanitize(data("http.pool.clients.stt.base-url", "https://svc:pw@h/?token=t&v=1"), true))
				.isEqualTo("https://svc:******@h/?token=******&v=1");
			assertThat(sanitizer.sanitize(data("http.pool.clients.stt.max-connections", "8"), true)).isEqualTo("8");
			assertThat(sanitizer.sanitize(data("spring.application.name", "app"), true)).isEqualTo("app");
		});
	}

	@Test
	void whenActuatorIsAbsentThenNoSanitizingFunction() {
		this.runner.withClassLoader(new FilteredClassLoader(SanitizingFunction.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(HttpPoolSanitizingFunction.class));
	}

	@Test
	void whenUserDefinesTheBeanThenAutoConfigurationBacksOff() {
		SanitizingFunction custom = (data) -> data;
		this.runner.withBean("httpPoolSanitizingFunction", SanitizingFunction.class, () -> custom)
			.run((context) -> assertThat(context).doesNotHaveBean(HttpPoolSanitizingFunction.class)
				.getBean("httpPoolSanitizingFunction")
				.isSameAs(custom));
	}

	private static SanitizableData data(String key, String value) {
		return new SanitizableData(null, key, value);
	}

}
