package io.httppool.autoconfigure;

import java.time.Duration;

import io.httppool.HttpPoolClients;
import io.httppool.test.TestUpstream;
import org.junit.jupiter.api.Test;
import reactor.netty.http.HttpProtocol;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

class HttpPoolAutoConfigurationSmokeTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations
		.of(HttpPoolAutoConfiguration.class, WebClientAutoConfiguration.class, SslAutoConfiguration.class));

	@Test
	void h2cClientSpeaksHttp2() {
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.H2C).start()) {
			this.runner
				.withPropertyValues("http.pool.clients.stt.base-url=" + upstream.baseUrl(),
						"http.pool.clients.stt.protocol=h2c")
				.run((context) -> {
					WebClient client = context.getBean("sttWebClient", WebClient.class);
					String body = client.get()
						.uri("/x")
						.retrieve()
						.bodyToMono(String.class)
						.block(Duration.ofSeconds(5));
					assertThat(body).isEqualTo("ok");
					assertThat(upstream.requestsByProtocol()).containsOnlyKeys("HTTP/2.0");
					System.out.println(context.getBean(HttpPoolClients.class).get("stt").state());
				});
		}
	}

	@Test
	void h2ClientOverTls() {
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.H2, HttpProtocol.HTTP11).tls().start()) {
			this.runner.withPropertyValues(TestUpstream.trustBundleProperties("up"))
				.withPropertyValues("http.pool.clients.stt.base-url=" + upstream.baseUrl(),
						"http.pool.clients.stt.ssl.bundle=up")
				.run((context) -> {
					WebClient client = context.getBean("sttWebClient", WebClient.class);
					String body = client.get()
						.uri("/x")
						.retrieve()
						.bodyToMono(String.class)
						.block(Duration.ofSeconds(5));
					assertThat(body).isEqualTo("ok");
					assertThat(upstream.requestsByProtocol()).containsOnlyKeys("HTTP/2.0");
					System.out.println(context.getBean(HttpPoolClients.class).get("stt").state());
				});
		}
	}

}
