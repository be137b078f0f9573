package io.httppool.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import io.httppool.HttpPoolClient;
import io.httppool.HttpPoolClientCustomizer;
import io.httppool.HttpPoolClientSettings;
import io.httppool.HttpPoolClients;
import io.httppool.HttpPoolLeasingStrategy;
import io.httppool.HttpPoolProtocol;
import io.httppool.NoSuchHttpPoolClientException;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link HttpPoolAutoConfiguration}: defaults, binding, environment variables,
 * back-off and optional libraries.
 */
class HttpPoolAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HttpPoolAutoConfiguration.class, WebClientAutoConfiguration.class,
				RestClientAutoConfiguration.class, SslAutoConfiguration.class));

	@Test
	void whenNoClientIsConfiguredThenRegistryIsEmpty() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(HttpPoolClients.class);
			assertThat(context.getBean(HttpPoolClients.class).names()).isEmpty();
			assertThat(context).doesNotHaveBean(WebClient.class);
		});
	}

	@Test
	void whenClientIsConfiguredThenDefaultsApply() {
		this.runner.withPropertyValues("http.pool.clients.stt.base-url=https://stt.example.com").run((context) -> {
			HttpPoolClientSettings settings = context.getBean(HttpPoolClients.class).get("stt").settings();
			assertThat(settings.baseUrl()).isEqualTo(URI.create("https://stt.example.com"));
			assertThat(settings.protocol()).isEqualTo(HttpPoolProtocol.AUTO);
			assertThat(settings.isHttp2()).isTrue();
			assertThat(settings.pool())
				.isEqualTo(new HttpPoolClientSettings.Pool(50, 1000, Duration.ofSeconds(5), Duration.ofSeconds(30),
						Duration.ofMinutes(5), Duration.ofSeconds(10), HttpPoolLeasingStrategy.LIFO));
			assertThat(settings.http2())
				.isEqualTo(new HttpPoolClientSettings.Http2(100, 1, java.time.Duration.ofSeconds(5), 100));
			assertThat(settings.timeouts()).isEqualTo(
					new HttpPoolClientSettings.Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(30), null, null));
			assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(60));
			assertThat(settings.health()).isEqualTo(new HttpPoolClientSettings.Health(0.7, 0.9));
			assertThat(settings.retry().onStatuses()).containsExactlyInAnyOrder(429, 502, 503, 504);
		});
	}

	@Test
	void whenClientOverridesDefaultsThenOnlyItsOwnKeysChange() {
		this.runner
			.withPropertyValues("http.pool.defaults.max-connections=20", "http.pool.defaults.connect-timeout=2s",
					"http.pool.defaults.default-headers.User-Agent=http-pool",
					"http.pool.clients.stt.base-url=http://stt.internal:8080",
					"http.pool.clients.stt.max-connections=8", "http.pool.clients.stt.default-headers.X-Tenant=acme",
					"http.pool.clients.llm.base-url=https://llm.internal", "http.pool.clients.llm.protocol=h2",
					"http.pool.clients.llm.http2.max-concurrent-streams=250")
			.run((context) -> {
				HttpPoolClients clients = context.getBean(HttpPoolClients.class);
				assertThat(clients.names()).containsExactly("stt", "llm");
				HttpPoolClientSettings stt = clients.get("stt").settings();
				HttpPoolClientSettings llm = clients.get("llm").settings();
				assertThat(stt.pool().maxConnections()).isEqualTo(8);
				assertThat(llm.pool().maxConnections()).isEqualTo(20);
				assertThat(stt.timeouts().connectTimeout()).isEqualTo(Duration.ofSeconds(2));
				assertThat(llm.timeouts().connectTimeout()).isEqualTo(Duration.ofSeconds(2));
				assertThat(stt.defaultHeaders()).containsEntry("User-Agent", "http-pool")
					.containsEntry("X-Tenant", "acme");
				assertThat(llm.defaultHeaders()).containsOnlyKeys("User-Agent");
				assertThat(stt.isHttp2()).isFalse();
				assertThat(llm.http2().maxConcurrentStreams()).isEqualTo(250);
				assertThat(stt.http2().maxConcurrentStreams()).isEqualTo(100);
			});
	}

	@Test
	void whenClientSetsPartOfANestedGroupThenTheRestComesFromDefaults() {
		this.runner
			.withPropertyValues("http.pool.defaults.http2.max-concurrent-streams=50",
					"http.pool.defaults.http2.ping-ack-timeout=3s", "http.pool.defaults.retry.max-attempts=5",
					"http.pool.defaults.retry.on-statuses=503", "http.pool.defaults.proxy.host=proxy.local",
					"http.pool.defaults.proxy.port=3128", "http.pool.clients.stt.base-url=https://stt.example.com",
					"http.pool.clients.stt.http2.min-connections=2", "http.pool.clients.stt.retry.on-statuses=429,502",
					"http.pool.clients.stt.proxy.port=8080", "http.pool.clients.llm.base-url=https://llm.example.com")
			.run((context) -> {
				HttpPoolClients clients = context.getBean(HttpPoolClients.class);
				HttpPoolClientSettings stt = clients.get("stt").settings();
				assertThat(stt.http2()).isEqualTo(new HttpPoolClientSettings.Http2(50, 2, Duration.ofSeconds(3), 100));
				assertThat(stt.retry().maxAttempts()).isEqualTo(5);
				assertThat(stt.retry().onStatuses()).containsExactlyInAnyOrder(429, 502);
				assertThat(stt.proxy())
					.extracting(HttpPoolClientSettings.Proxy::host, HttpPoolClientSettings.Proxy::port)
					.containsExactly("proxy.local", 8080);
				HttpPoolClientSettings llm = clients.get("llm").settings();
				assertThat(llm.http2()).isEqualTo(new HttpPoolClientSettings.Http2(50, 1, Duration.ofSeconds(3), 100));
				assertThat(llm.retry().onStatuses()).containsExactly(503);
				assertThat(llm.proxy()).extracting(HttpPoolClientSettings.Proxy::port).isEqualTo(3128);
			});
	}

	@Test
	void whenClientSetsTheLiteralDefaultThenItWinsOverADifferentDefault() {
		this.runner
			.withPropertyValues("http.pool.defaults.max-connections=10", "http.pool.defaults.compression=true",
					"http.pool.clients.Stt.base-url=https://stt.example.com",
					"http.pool.clients.Stt.max-connections=50", "http.pool.clients.Stt.compression=false")
			.run((context) -> {
				HttpPoolClientSettings stt = context.getBean(HttpPoolClients.class).get("Stt").settings();
				assertThat(stt.pool().maxConnections()).isEqualTo(50);
				assertThat(stt.compression()).isFalse();
			});
	}

	@Test
	void whenTheApplicationHasAPropertiesConverterThenClientsAreBoundWithIt() {
		// bound once, by Spring Boot: converters for @ConfigurationProperties apply to
		// every client
		this.runner.withUserConfiguration(ProtocolAliasConfiguration.class)
			.withPropertyValues("http.pool.defaults.protocol=http-two",
					"http.pool.clients.stt.base-url=https://stt.example.com",
					"http.pool.clients.llm.base-url=http://llm.example.com", "http.pool.clients.llm.protocol=h2c")
			.run((context) -> {
				HttpPoolClients clients = context.getBean(HttpPoolClients.class);
				assertThat(clients.get("stt").settings().protocol()).isEqualTo(HttpPoolProtocol.H2);
				assertThat(clients.get("llm").settings().protocol()).isEqualTo(HttpPoolProtocol.H2C);
			});
	}

	@Test
	void whenEnvironmentVariablesSetPartOfANestedGroupThenTheRestComesFromDefaults() {
		this.runner.withPropertyValues("http.pool.defaults.http2.max-concurrent-streams=50")
			.withInitializer((context) -> {
				StandardEnvironment environment = (StandardEnvironment) context.getEnvironment();
				environment.getPropertySources()
					.addFirst(new SystemEnvironmentPropertySource(
							StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
							Map.of("HTTP_POOL_CLIENTS_STT_HTTP2_MINCONNECTIONS", "3", "HTTP_POOL_CLIENTS_STT_BASEURL",
									"https://stt.example.com", "HTTP_POOL_DEFAULTS_RETRY_MAXATTEMPTS", "4")));
			})
			.run((context) -> {
				HttpPoolClientSettings stt = context.getBean(HttpPoolClients.class).get("stt").settings();
				assertThat(stt.http2().minConnections()).isEqualTo(3);
				assertThat(stt.http2().maxConcurrentStreams()).isEqualTo(50);
				assertThat(stt.retry().maxAttempts()).isEqualTo(4);
			});
	}

	@Test
	void whenEnvironmentVariablesAreSetThenTheyBind() {
		this.runner.withInitializer((context) -> {
			StandardEnvironment environment = (StandardEnvironment) context.getEnvironment();
			environment.getPropertySources()
				.addFirst(
						new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
								Map.of("HTTP_POOL_CLIENTS_STT_MAXCONNECTIONS", "8", "HTTP_POOL_DEFAULTS_CONNECTTIMEOUT",
										"2s", "HTTP_POOL_CLIENTS_STT_BASEURL", "https://stt.example.com",
										"HTTP_POOL_CLIENTS_STT_DEFAULTHEADERS_AUTHORIZATION", "Bearer from-env")));
		}).run((context) -> {
			HttpPoolClientSettings stt = context.getBean(HttpPoolClients.class).get("stt").settings();
			assertThat(stt.pool().maxConnections()).isEqualTo(8);
			assertThat(stt.timeouts().connectTimeout()).isEqualTo(Duration.ofSeconds(2));
			assertThat(stt.baseUrl()).isEqualTo(URI.create("https://stt.example.com"));
			assertThat(stt.defaultHeaders()).containsValue("Bearer from-env");
			assertThat(stt.maskedDefaultHeaders()).doesNotContainValue("Bearer from-env");
			assertThat(stt.toString()).doesNotContain("from-env");
		});
	}

	@Test
	void whenTimeoutIsZeroThenThereIsNoDeadline() {
		this.runner
			.withPropertyValues("http.pool.clients.stt.base-url=https://stt.example.com",
					"http.pool.clients.stt.timeout=0")
			.run((context) -> assertThat(context.getBean(HttpPoolClients.class).get("stt").settings().timeout())
				.isNull());
	}

	@Test
	void whenAKeyThatCanBeSwitchedOffIsZeroThenItIsOff() {
		this.runner
			.withPropertyValues("http.pool.defaults.read-timeout=5s", "http.pool.defaults.write-timeout=5s",
					"http.pool.defaults.bulkhead.max-concurrent-calls=10",
					"http.pool.clients.stt.base-url=https://stt.example.com", "http.pool.clients.stt.read-timeout=0",
					"http.pool.clients.stt.write-timeout=0s", "http.pool.clients.stt.timeout=0",
					"http.pool.clients.stt.eviction-interval=0", "http.pool.clients.stt.http2.ping-ack-timeout=0",
					"http.pool.clients.stt.http2.max-resets-per-connection=0",
					"http.pool.clients.stt.bulkhead.max-concurrent-calls=0",
					"http.pool.clients.llm.base-url=https://llm.example.com")
			.run((context) -> {
				HttpPoolClients clients = context.getBean(HttpPoolClients.class);
				HttpPoolClientSettings stt = clients.get("stt").settings();
				assertThat(stt.timeouts().readTimeout()).isNull();
				assertThat(stt.timeouts().writeTimeout()).isNull();
				assertThat(stt.timeout()).isNull();
				assertThat(stt.pool().evictionInterval()).isZero();
				assertThat(stt.http2().pingAckTimeout()).isNull();
				assertThat(stt.http2().maxResetsPerConnection()).isZero();
				assertThat(stt.bulkhead().maxConcurrentCalls()).isNull();
				// unset: the defaults
				HttpPoolClientSettings llm = clients.get("llm").settings();
				assertThat(llm.timeouts().readTimeout()).isEqualTo(Duration.ofSeconds(5));
				assertThat(llm.timeouts().writeTimeout()).isEqualTo(Duration.ofSeconds(5));
				assertThat(llm.timeout()).isEqualTo(Duration.ofSeconds(60));
				assertThat(llm.pool().evictionInterval()).isEqualTo(Duration.ofSeconds(10));
				assertThat(llm.http2().pingAckTimeout()).isEqualTo(Duration.ofSeconds(5));
				assertThat(llm.bulkhead().maxConcurrentCalls()).isEqualTo(10);
			});
	}

	@Test
	void whenClientIsConfiguredThenQualifiedWebClientAndRestClientBeansExist() {
		this.runner.withUserConfiguration(QualifiedInjection.class)
			.withPropertyValues("http.pool.clients.stt.base-url=http://localhost:1",
					"http.pool.clients.llm.base-url=http://localhost:2")
			.run((context) -> {
				assertThat(context).hasBean("sttWebClient").hasBean("sttRestClient").hasBean("llmWebClient");
				HttpPoolClient stt = context.getBean(HttpPoolClients.class).get("stt");
				QualifiedInjection injection = context.getBean(QualifiedInjection.class);
				assertThat(injection.webClient).isSameAs(stt.webClient());
				assertThat(injection.restClient).isSameAs(stt.restClient());
				assertThat(stt.connectionProvider().name()).isEqualTo("stt");
			});
	}

	@Test
	void whenUserDefinesBeanOfTheSameNameThenItWins() {
		this.runner.withUserConfiguration(UserWebClient.class)
			.withPropertyValues("http.pool.clients.stt.base-url=http://localhost:1")
			.run((context) -> {
				assertThat(context.getBean("sttWebClient")).isSameAs(UserWebClient.CLIENT);
				assertThat(context).hasBean("sttRestClient");
			});
	}

	@Test
	void whenUserDefinesRegistryThenAutoConfiguredOneBacksOff() {
		this.runner.withUserConfiguration(UserRegistry.class).run((context) -> {
			assertThat(context).hasSingleBean(HttpPoolClients.class);
			assertThat(context.getBean(HttpPoolClients.class)).isSameAs(UserRegistry.REGISTRY);
		});
	}

	@Test
	void whenCustomizerIsDefinedThenItRunsOncePerClient() {
		this.runner.withUserConfiguration(RecordingCustomizer.class)
			.withPropertyValues("http.pool.clients.stt.base-url=http://localhost:1",
					"http.pool.clients.llm.base-url=http://localhost:2")
			.run((context) -> {
				RecordingCustomizer customizer = context.getBean(RecordingCustomizer.class);
				assertThat(customizer.calls).containsExactly("http:stt", "web:stt", "rest:stt", "http:llm", "web:llm",
						"rest:llm");
			});
	}

	@Test
	void whenUnknownClientIsRequestedThenExceptionNamesIt() {
		this.runner.withPropertyValues("http.pool.clients.stt.base-url=http://localhost:1").run((context) -> {
			assertThatExceptionOfType(NoSuchHttpPoolClientException.class)
				.isThrownBy(() -> context.getBean(HttpPoolClients.class).get("tts"))
				.withMessageContaining("'tts'")
				.withMessageContaining("[stt]")
				.satisfies((ex) -> assertThat(ex.getClientName()).isEqualTo("tts"));
		});
	}

	@Test
	void whenRestClientSupportIsMissingThenWebClientStillWorks() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(HttpPoolAutoConfiguration.class, WebClientAutoConfiguration.class,
					SslAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.restclient"))
			.withPropertyValues("http.pool.clients.stt.base-url=http://localhost:1")
			.run((context) -> {
				assertThat(context).hasNotFailed().hasBean("sttWebClient").hasBean("sttRestClient");
			});
	}

	@Test
	void whenActuatorMicrometerAndResilience4jAreMissingThenCoreStillWorks() {
		this.runner
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate", "io.micrometer.core",
					"io.github.resilience4j", "org.springframework.boot.health"))
			.withPropertyValues("http.pool.clients.stt.base-url=http://localhost:1")
			.run((context) -> assertThat(context).hasNotFailed().hasBean("sttWebClient"));
	}

	@Test
	void whenReactorNettyIsMissingThenNothingIsConfigured() {
		this.runner.withClassLoader(new FilteredClassLoader(HttpClient.class))
			.withPropertyValues("http.pool.clients.stt.base-url=http://localhost:1")
			.run((context) -> assertThat(context).doesNotHaveBean(HttpPoolClients.class));
	}

	@Test
	void whenTrustAllIsSetThenWarningNamesTheClient() {
		this.runner
			.withPropertyValues("http.pool.clients.internal.base-url=https://internal.example.com",
					"http.pool.clients.internal.ssl.trust-all=true")
			.run((context) -> assertThat(
					context.getBean(HttpPoolClients.class).get("internal").settings().ssl().trustAll())
				.isTrue());
	}

	@Configuration(proxyBeanMethods = false)
	static class QualifiedInjection {

		final WebClient webClient;

		final RestClient restClient;

		QualifiedInjection(@Qualifier("stt") WebClient webClient, @Qualifier("stt") RestClient restClient) {
			this.webClient = webClient;
			this.restClient = restClient;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserWebClient {

		static final WebClient CLIENT = WebClient.create();

		@Bean
		WebClient sttWebClient() {
			return CLIENT;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserRegistry {

		static final HttpPoolClients REGISTRY = new HttpPoolClients(java.util.List.of());

		@Bean
		HttpPoolClients myClients() {
			return REGISTRY;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RecordingCustomizer implements HttpPoolClientCustomizer {

		final java.util.List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();

		@Override
		public HttpClient customizeHttpClient(HttpPoolClientSettings settings, HttpClient httpClient) {
			this.calls.add("http:" + settings.name());
			return httpClient;
		}

		@Override
		public void customizeWebClient(HttpPoolClientSettings settings, WebClient.Builder builder) {
			this.calls.add("web:" + settings.name());
		}

		@Override
		public void customizeRestClient(HttpPoolClientSettings settings, RestClient.Builder builder) {
			this.calls.add("rest:" + settings.name());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ProtocolAliasConfiguration {

		@Bean
		@ConfigurationPropertiesBinding
		static Converter<String, HttpPoolProtocol> protocolAliases() {
			return (text) -> "http-two".equals(text) ? HttpPoolProtocol.H2
					: HttpPoolProtocol.valueOf(text.toUpperCase(java.util.Locale.ROOT));
		}

	}

}
