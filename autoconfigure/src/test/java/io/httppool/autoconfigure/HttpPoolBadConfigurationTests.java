package io.httppool.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Bad configuration stops the application with a message that names the full key, the
 * value and what is allowed, rendered as Spring Boot's "Description / Action" block.
 */
@ExtendWith(OutputCaptureExtension.class)
class HttpPoolBadConfigurationTests {

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource(delimiter = '|',
			textBlock = """
					http.pool.clients.stt.max-connections           | 0     | http.pool.clients.stt.max-connections must be at least 1 but was 0
					http.pool.clients.stt.max-connections           | -4    | http.pool.clients.stt.max-connections must be at least 1 but was -4
					http.pool.defaults.max-connections              | 0     | http.pool.defaults.max-connections must be at least 1 but was 0
					http.pool.clients.stt.pending-acquire-max-count | 0     | http.pool.clients.stt.pending-acquire-max-count must be at least 1 but was 0
					http.pool.clients.stt.http2.max-concurrent-streams | 0  | http.pool.clients.stt.http2.max-concurrent-streams must be at least 1 but was 0
					http.pool.clients.stt.max-idle-time             | 0s    | http.pool.clients.stt.max-idle-time must be a positive duration but was PT0S
					http.pool.clients.stt.http2.ping-ack-timeout    | -1s   | http.pool.clients.stt.http2.ping-ack-timeout must be a positive duration, or 0 to close idle connections without a PING but was PT-1S
					http.pool.clients.stt.connect-timeout           | -1s   | http.pool.clients.stt.connect-timeout must be a positive duration but was PT-1S
					http.pool.clients.stt.read-timeout              | -1s   | http.pool.clients.stt.read-timeout must be a positive duration, or 0 for none but was PT-1S
					http.pool.clients.stt.eviction-interval         | -1s   | http.pool.clients.stt.eviction-interval must be a positive duration, or 0 for no background eviction but was PT-1S
					http.pool.clients.stt.timeout                   | -1s   | http.pool.clients.stt.timeout must be a positive duration, or 0 for no deadline but was PT-1S
					http.pool.clients.stt.bulkhead.max-concurrent-calls | -1 | http.pool.clients.stt.bulkhead.max-concurrent-calls must be at least 1, or 0 for no bulkhead but was -1
					http.pool.clients.stt.pending-acquire-timeout   | 45s   | http.pool.clients.stt.pending-acquire-timeout must be at most response-timeout (PT30S)
					http.pool.clients.stt.base-url                  | /v1   | http.pool.clients.stt.base-url must be an absolute http:// or https:// URL with a host but was /v1
					http.pool.clients.stt.base-url                  | ftp://files.example.com | http.pool.clients.stt.base-url must be an absolute http:// or https:// URL with a host but was ftp://files.example.com
					http.pool.clients.stt.ssl.bundle                | nope  | http.pool.clients.stt.ssl.bundle must be the name of a bundle under spring.ssl.bundle
					http.pool.clients.stt.health.degraded-threshold | 0.95  | http.pool.clients.stt.health.degraded-threshold must be below health.unhealthy-threshold (0.9) but was 0.95
					http.pool.clients.stt.retry.jitter              | 2     | http.pool.clients.stt.retry.jitter must be from 0.0 to 1.0 but was 2.0
					http.pool.clients.stt.concurrency.initial-limit | 0     | http.pool.clients.stt.concurrency.initial-limit must be at least 1 but was 0
					http.pool.clients.stt.concurrency.max-limit     | 10    | http.pool.clients.stt.concurrency.max-limit must be at least concurrency.initial-limit (20) but was 10
					http.pool.clients.stt.hedging.delay             | -1s   | http.pool.clients.stt.hedging.delay must be a positive duration but was PT-1S
					http.pool.shutdown-timeout                      | -1s   | http.pool.shutdown-timeout must be zero or a positive duration but was PT-1S
					""")
	void whenValueIsInvalidThenStartupFailsNamingTheKey(String key, String value, String message,
			CapturedOutput output) {
		String baseUrl = key.endsWith("base-url") ? "http.pool.shutdown-timeout=30s"
				: "http.pool.clients.stt.base-url=https://stt.example.com";
		assertStartupFails(output, message, baseUrl, key + "=" + value);
		assertThat(output).contains("Action:").contains("Update your application's configuration: set " + key);
	}

	@Test
	void whenBaseUrlWithPasswordIsInvalidThenMessageHidesThePassword(CapturedOutput output) {
		assertStartupFails(output,
				"http.pool.clients.stt.base-url must be an absolute http:// or https:// URL with a host but was ftp://svc:******@files.example.com",
				"http.pool.clients.stt.base-url=ftp://svc:hunter2@files.example.com");
		assertThat(output).doesNotContain("hunter2");
	}

	@Test
	void whenBaseUrlWithSecretQueryIsRejectedThenMessageHidesItsValue(CapturedOutput output) {
		assertStartupFails(output,
				"http.pool.clients.stt.protocol must be h2 or auto for the https base-url https://stt.example.com/v1?api_key=******&lang=en",
				"http.pool.clients.stt.base-url=https://stt.example.com/v1?api_key=k3y-hunter2&lang=en",
				"http.pool.clients.stt.protocol=h2c");
		assertThat(output).doesNotContain("k3y-hunter2");
	}

	@Test
	void whenH2cMeetsHttpsBaseUrlThenStartupFails(CapturedOutput output) {
		assertStartupFails(output,
				"http.pool.clients.stt.protocol must be h2 or auto for the https base-url https://stt.example.com",
				"http.pool.clients.stt.base-url=https://stt.example.com", "http.pool.clients.stt.protocol=h2c");
	}

	@Test
	void whenHeaderValueHasLineBreakThenStartupFailsWithoutShowingSecrets(CapturedOutput output) {
		assertStartupFails(output,
				"http.pool.clients.stt.default-headers.Authorization must be a header value without CR or LF but was (a hidden value)",
				"http.pool.clients.stt.base-url=https://stt.example.com",
				"http.pool.clients.stt.default-headers.Authorization=Bearer sk-secret\r\nX-Injected: yes");
		assertThat(output).doesNotContain("sk-secret");
	}

	@Test
	void whenPlainHeaderValueHasLineBreakThenMessageShowsItEscaped(CapturedOutput output) {
		assertStartupFails(output,
				"http.pool.clients.stt.default-headers.X-Tenant must be a header value without CR or LF but was acme\\r\\nX-Injected: yes",
				"http.pool.clients.stt.base-url=https://stt.example.com",
				"http.pool.clients.stt.default-headers.X-Tenant=acme\r\nX-Injected: yes");
	}

	@Test
	void whenProxyUsernameHasNoPasswordThenStartupFailsNamingThePassword(CapturedOutput output) {
		assertStartupFails(output,
				"http.pool.clients.stt.proxy.password must be set when proxy.username is set but was null",
				"http.pool.clients.stt.base-url=https://stt.example.com", "http.pool.clients.stt.proxy.host=localhost",
				"http.pool.clients.stt.proxy.port=3128", "http.pool.clients.stt.proxy.username=svc");
	}

	@Test
	void whenProxyPasswordHasNoUsernameThenStartupFailsWithoutShowingThePassword(CapturedOutput output) {
		assertStartupFails(output,
				"http.pool.clients.stt.proxy.username must be set when proxy.password is set but was null",
				"http.pool.clients.stt.base-url=https://stt.example.com", "http.pool.clients.stt.proxy.host=localhost",
				"http.pool.clients.stt.proxy.port=3128", "http.pool.clients.stt.proxy.password=planted-proxy-s3cret");
		assertThat(output).doesNotContain("planted-proxy-s3cret");
	}

	@Test
	void whenProtocolIsUnknownThenStartupFailsListingTheAllowedValues(CapturedOutput output) {
		assertStartupFails(output, "http.pool.clients.stt.protocol",
				"http.pool.clients.stt.base-url=https://stt.example.com", "http.pool.clients.stt.protocol=h3");
		assertThat(output).contains("h3").contains("AUTO").contains("H2C").contains("HTTP1");
	}

	@Test
	void whenClientNameHasIllegalCharactersThenStartupFails(CapturedOutput output) {
		assertStartupFails(output, "must be a client name of letters, digits, '-' and '_'",
				"http.pool.clients.[my client].base-url=https://stt.example.com");
	}

	private static void assertStartupFails(CapturedOutput output, String expectedMessage, String... properties) {
		SpringApplication application = new SpringApplication(Config.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		List<String> args = new ArrayList<>();
		for (String property : properties) {
			args.add("--" + property);
		}
		args.add("--spring.main.banner-mode=off");
		assertThatException().isThrownBy(() -> {
			try (ConfigurableApplicationContext context = application.run(args.toArray(String[]::new))) {
				// started: the assertion below fails
			}
		});
		assertThat(output).contains("APPLICATION FAILED TO START").contains(expectedMessage);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ HttpPoolAutoConfiguration.class, WebClientAutoConfiguration.class,
			SslAutoConfiguration.class })
	static class Config {

	}

}
