package io.httppool.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import io.httppool.HttpPoolClientCustomizer;
import io.httppool.HttpPoolClientSettings;
import io.httppool.HttpPoolClients;
import io.httppool.test.HttpPoolTestContexts;
import io.httppool.test.TestUpstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Secrets in default headers and proxy settings are sent but never logged or shown;
 * Reactor Netty's own wiretap, whose loggers print them, is refused; trusting every
 * certificate is loud. {@link HttpPoolPlantedSecretsIntegrationTests} plants every kind
 * of secret with every logger at TRACE.
 */
@ExtendWith(OutputCaptureExtension.class)
class HttpPoolSecretsTests {

	private static final String SECRET = "sk-live-7f3a9c";

	@ParameterizedTest(name = "{0}, wiretap={1}")
	@CsvSource({ "h2c, false", "h2c, true", "http1, false", "http1, true" })
	void whenAuthorizationHeaderIsConfiguredThenServerGetsItButDebugLogsNeverShowIt(String protocol, boolean wiretap,
			CapturedOutput output) {
		AtomicReference<String> received = new AtomicReference<>();
		LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
		logging.setLogLevel("reactor.netty", LogLevel.DEBUG);
		logging.setLogLevel("io.httppool", LogLevel.DEBUG);
		try (TestUpstream upstream = TestUpstream
			.speaking(protocol.equals("h2c") ? HttpProtocol.H2C : HttpProtocol.HTTP11)
			.handler((request, response) -> {
				received.set(request.requestHeaders().get("Authorization"));
				return response.sendString(Mono.just("ok"));
			})
			.start()) {
			HttpPoolTestContexts.core()
				.withPropertyValues("http.pool.clients.stt.base-url=" + upstream.baseUrl(),
						"http.pool.clients.stt.protocol=" + protocol, "http.pool.clients.stt.wiretap=" + wiretap,
						"http.pool.clients.stt.default-headers.Authorization=Bearer " + SECRET,
						"http.pool.clients.stt.proxy.host=proxy.internal", "http.pool.clients.stt.proxy.port=3128",
						"http.pool.clients.stt.proxy.non-proxy-hosts=127\\.0\\.0\\.1|localhost",
						"http.pool.clients.stt.proxy.username=svc", "http.pool.clients.stt.proxy.password=" + SECRET)
				.run((context) -> {
					WebClient client = context.getBean("sttWebClient", WebClient.class);
					assertThat(client.get().uri("/x").retrieve().bodyToMono(String.class).block(Duration.ofSeconds(10)))
						.isEqualTo("ok");
					String settings = context.getBean(HttpPoolClients.class).get("stt").settings().toString();
					System.out.println(settings);
					assertThat(settings).contains("Authorization=******").contains("password=******");
				});
		}
		finally {
			logging.setLogLevel("reactor.netty", null);
			logging.setLogLevel("io.httppool", null);
		}
		assertThat(received.get()).isEqualTo("Bearer " + SECRET);
		assertThat(output).contains("DEBUG").doesNotContain(SECRET);
		if (wiretap) {
			assertThat(output).contains("HttpClient.stt");
		}
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "http1", "h2c" })
	void whenBaseUrlHasUserInfoAndSecretQueryThenTheyAreSentButSpringNeverSeesThem(String protocol) {
		Queue<String> received = new ConcurrentLinkedQueue<>();
		try (TestUpstream upstream = TestUpstream
			.speaking(protocol.equals("h2c") ? HttpProtocol.H2C : HttpProtocol.HTTP11)
			.handler((request, response) -> {
				received.add(request.uri() + " " + request.requestHeaders().get("Authorization"));
				return response.sendString(Mono.just("ok"));
			})
			.start()) {
			String origin = upstream.baseUrl().replace("http://", "");
			HttpPoolTestContexts.core()
				.withPropertyValues("http.pool.clients.basic.protocol=" + protocol,
						"http.pool.clients.basic.base-url=http://svc:p%40ss@" + origin + "/v1?token=t0k&lang=en",
						"http.pool.clients.bearer.protocol=" + protocol,
						"http.pool.clients.bearer.base-url=http://svc:p%40ss@" + origin + "/v2",
						"http.pool.clients.bearer.default-headers.Authorization=Bearer " + SECRET)
				.run((context) -> {
					List<String> urls = new CopyOnWriteArrayList<>();
					WebClient basic = context.getBean("basicWebClient", WebClient.class)
						.mutate()
						.filter((request, next) -> {
							urls.add(request.url().toString());
							return next.exchange(request);
						})
						.build();
					assertThat(
							basic.get().uri("/x?y=1").retrieve().bodyToMono(String.class).block(Duration.ofSeconds(10)))
						.isEqualTo("ok");
					assertThat(context.getBean("basicRestClient", RestClient.class)
						.get()
						.uri("/z")
						.retrieve()
						.body(String.class)).isEqualTo("ok");
					assertThat(context.getBean("bearerRestClient", RestClient.class)
						.get()
						.uri("/b")
						.retrieve()
						.body(String.class)).isEqualTo("ok");
					assertThat(urls).containsExactly("http://" + origin + "/v1/x?token=******&lang=en&y=1");
				});
		}
		String basic = "Basic " + Base64.getEncoder().encodeToString("svc:p@ss".getBytes(StandardCharsets.UTF_8));
		assertThat(received).containsExactly("/v1/x?token=t0k&lang=en&y=1 " + basic, "/v1/z?token=t0k&lang=en " + basic,
				"/v2/b Bearer " + SECRET);
	}

	@Test
	void whenACustomizerTurnsOnReactorNettyWiretapThenStartupFailsNamingTheClientAndTheProperty() {
		HttpPoolTestContexts.core()
			.withPropertyValues("http.pool.clients.stt.base-url=https://stt.example.com",
					"http.pool.clients.stt.default-headers.Authorization=Bearer " + SECRET)
			.withBean(HttpPoolClientCustomizer.class, () -> new HttpPoolClientCustomizer() {
				@Override
				public HttpClient customizeHttpClient(HttpPoolClientSettings settings, HttpClient httpClient) {
					return httpClient.wiretap(true);
				}
			})
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("HTTP pool client 'stt'")
				.hasMessageContaining("reactor.netty.http.client.h2")
				.hasMessageContaining("http.pool.clients.stt.wiretap=true")
				.message()
				.doesNotContain(SECRET));
	}

	@Test
	void whenTrustAllIsEnabledThenWarningNamesTheClient(CapturedOutput output) {
		HttpPoolTestContexts.core()
			.withPropertyValues("http.pool.clients.internal.base-url=https://internal.example.com",
					"http.pool.clients.internal.ssl.trust-all=true",
					"http.pool.clients.public.base-url=https://public.example.com")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).contains("WARN")
			.contains("HTTP pool client 'internal' trusts every server certificate (ssl.trust-all=true)")
			.doesNotContain("client 'public' trusts");
	}

}
