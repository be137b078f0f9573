package io.httppool.pool;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import io.httppool.test.HttpPoolTestContexts;
import io.httppool.test.TestConnectProxy;
import io.httppool.test.TestUpstream;
import org.junit.jupiter.api.Test;
import reactor.netty.http.HttpProtocol;

import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code proxy.*} routes a client through an HTTP CONNECT proxy with credentials, and
 * {@code proxy.non-proxy-hosts} bypasses it.
 */
class ProxyTests {

	@Test
	void whenProxyIsConfiguredThenRequestsTunnelThroughItWithCredentials() throws Exception {
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.HTTP11).start();
				TestConnectProxy proxy = new TestConnectProxy()) {
			HttpPoolTestContexts.core()
				.withPropertyValues("http.pool.clients.stt.base-url=" + upstream.baseUrl(),
						"http.pool.clients.stt.proxy.host=127.0.0.1",
						"http.pool.clients.stt.proxy.port=" + proxy.port(), "http.pool.clients.stt.proxy.username=svc",
						"http.pool.clients.stt.proxy.password=s3cret",
						"http.pool.clients.direct.base-url=" + upstream.baseUrl(),
						"http.pool.clients.direct.proxy.host=127.0.0.1",
						"http.pool.clients.direct.proxy.port=" + proxy.port(),
						"http.pool.clients.direct.proxy.non-proxy-hosts=127\\.0\\.0\\.1")
				.run((context) -> {
					WebClient viaProxy = context.getBean("sttWebClient", WebClient.class);
					WebClient direct = context.getBean("directWebClient", WebClient.class);
					assertThat(
							viaProxy.get().uri("/a").retrieve().bodyToMono(String.class).block(Duration.ofSeconds(10)))
						.isEqualTo("ok");
					assertThat(direct.get().uri("/b").retrieve().bodyToMono(String.class).block(Duration.ofSeconds(10)))
						.isEqualTo("ok");
				});
			assertThat(upstream.requests()).isEqualTo(2);
			assertThat(proxy.connects()).containsExactly("127.0.0.1:" + upstream.port());
			String credentials = Base64.getEncoder().encodeToString("svc:s3cret".getBytes(StandardCharsets.UTF_8));
			assertThat(proxy.authorizations()).containsExactly("Basic " + credentials);
		}
	}

}
