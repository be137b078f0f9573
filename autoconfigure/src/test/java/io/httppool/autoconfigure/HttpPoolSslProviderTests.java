package io.httppool.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.SSLEngine;

import io.httppool.HttpPoolClientCustomizer;
import io.httppool.test.HttpPoolTestContexts;
import io.httppool.test.TestUpstream;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslEngine;
import io.netty.handler.ssl.SslHandler;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.netty.ConnectionObserver;
import reactor.netty.http.HttpProtocol;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ssl.provider}: the TLS engine a client's connection runs on. The test class path
 * has what the starter brings ({@code netty-tcnative-boringssl-static}), so OpenSSL loads
 * here.
 */
class HttpPoolSslProviderTests {

	private final ApplicationContextRunner runner = HttpPoolTestContexts.core()
		.withUserConfiguration(EngineRecorder.class);

	@ParameterizedTest(name = "{0} over {1}")
	@CsvSource({ "auto, h2, true", "auto, http1, true", "openssl, h2, true", "jdk, h2, false", "jdk, http1, false" })
	void theClientRunsOnTheTlsImplementationItIsSetTo(String provider, String protocol, boolean openSsl) {
		assertThat(OpenSsl.isAvailable()).as("OpenSSL loads on this machine").isTrue();
		HttpProtocol serverProtocol = protocol.equals("h2") ? HttpProtocol.H2 : HttpProtocol.HTTP11;
		try (TestUpstream upstream = TestUpstream.speaking(serverProtocol).tls().start()) {
			this.runner.withPropertyValues(TestUpstream.trustBundleProperties("upstream"))
				.withPropertyValues("http.pool.clients.api.base-url=" + upstream.baseUrl(),
						"http.pool.clients.api.protocol=" + protocol, "http.pool.clients.api.ssl.bundle=upstream",
						"http.pool.clients.api.ssl.provider=" + provider)
				.run((context) -> {
					assertThat(HttpPoolTestContexts.getRoot(context, "api").block(Duration.ofSeconds(10)))
						.extracting((response) -> response.getStatusCode().value())
						.isEqualTo(200);
					List<SSLEngine> engines = context.getBean(EngineRecorder.class).engines;
					assertThat(engines).hasSize(1);
					if (openSsl) {
						assertThat(engines.get(0)).isInstanceOf(OpenSslEngine.class);
					}
					else {
						assertThat(engines.get(0)).isNotInstanceOf(OpenSslEngine.class);
						// the JDK's engine, wrapped by Netty for ALPN over HTTP/2
						assertThat(engines.get(0).getClass().getName())
							.matches("sun\\.security\\.ssl\\..*|io\\.netty\\.handler\\.ssl\\.Jdk.*");
					}
					assertThat(upstream.requestsByProtocol())
						.containsOnlyKeys(protocol.equals("h2") ? "HTTP/2.0" : "HTTP/1.1");
				});
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class EngineRecorder {

		final List<SSLEngine> engines = new CopyOnWriteArrayList<>();

		@Bean
		HttpPoolClientCustomizer engineRecorder() {
			return new HttpPoolClientCustomizer() {
				@Override
				public reactor.netty.http.client.HttpClient customizeHttpClient(
						io.httppool.HttpPoolClientSettings settings, reactor.netty.http.client.HttpClient httpClient) {
					return httpClient.observe((connection, state) -> {
						if (state == ConnectionObserver.State.CONNECTED && connection.channel().parent() == null) {
							SslHandler ssl = connection.channel().pipeline().get(SslHandler.class);
							if (ssl != null) {
								EngineRecorder.this.engines.add(ssl.engine());
							}
						}
					});
				}
			};
		}

	}

}
