package io.httppool.pool;

import java.time.Duration;
import java.util.List;

import io.httppool.HttpPoolClient;
import io.httppool.HttpPoolClients;
import io.httppool.test.HttpPoolTestContexts;
import io.httppool.test.TestUpstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Flux;
import reactor.netty.http.HttpProtocol;

import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP/2 multiplexes concurrent requests on few connections instead of opening one per
 * request, over TLS (ALPN, self-signed certificate trusted through an SSL bundle) and
 * over h2c with prior knowledge.
 */
class Http2MultiplexingTests {

	@ParameterizedTest(name = "{0} with max-concurrent-streams={1}")
	@CsvSource({ "h2, 100", "h2, 25", "h2c, 100", "h2c, 25" })
	void whenHundredConcurrentGetsThenServerSeesAtMostCeilOfHundredOverStreamsConnections(String protocol,
			int maxStreams) {
		boolean tls = protocol.equals("h2");
		TestUpstream.Builder builder = (tls ? TestUpstream.speaking(HttpProtocol.H2, HttpProtocol.HTTP11).tls()
				: TestUpstream.speaking(HttpProtocol.H2C));
		try (TestUpstream upstream = builder.delay(Duration.ofMillis(300)).start()) {
			HttpPoolTestContexts.core()
				.withPropertyValues(TestUpstream.trustBundleProperties("upstream"))
				.withPropertyValues("http.pool.clients.stt.base-url=" + upstream.baseUrl(),
						"http.pool.clients.stt.protocol=" + (tls ? "auto" : "h2c"),
						(tls ? "http.pool.clients.stt.ssl.bundle=upstream" : "http.pool.clients.stt.wiretap=false"),
						"http.pool.clients.stt.http2.max-concurrent-streams=" + maxStreams)
				.run((context) -> {
					WebClient client = context.getBean("sttWebClient", WebClient.class);
					List<String> bodies = Flux.range(0, 100)
						.flatMap((i) -> client.get().uri("/items/{i}", i).retrieve().bodyToMono(String.class), 100)
						.collectList()
						.block(Duration.ofSeconds(30));
					assertThat(bodies).hasSize(100).containsOnly("ok");
					assertThat(upstream.requestsByProtocol()).containsExactly(java.util.Map.entry("HTTP/2.0", 100));
					int expectedMax = (int) Math.ceil(100.0 / maxStreams);
					assertThat(upstream.connectionsAccepted()).isBetween(1, expectedMax);
					assertThat(context.getBean(HttpPoolClients.class).get("stt").state().connectionsOpened())
						.isEqualTo(upstream.connectionsAccepted());
				});
		}
	}

	@Test
	void anAutoClientWithoutBaseUrlIsAnHttp2PoolForTheTransportThePoolStateAndTheServer() {
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.H2, HttpProtocol.HTTP11)
			.tls()
			.delay(Duration.ofMillis(300))
			.start()) {
			HttpPoolTestContexts.core()
				.withPropertyValues(TestUpstream.trustBundleProperties("upstream"))
				.withPropertyValues("http.pool.clients.any.ssl.bundle=upstream",
						"http.pool.clients.any.http2.max-concurrent-streams=50")
				.run((context) -> {
					HttpPoolClient client = context.getBean(HttpPoolClients.class).get("any");
					List<String> bodies = Flux.range(0, 20)
						.flatMap((i) -> client.webClient()
							.get()
							.uri(upstream.baseUrl() + "/items/{i}", i)
							.retrieve()
							.bodyToMono(String.class), 20)
						.collectList()
						.block(Duration.ofSeconds(30));
					assertThat(bodies).hasSize(20).containsOnly("ok");
					assertThat(upstream.requestsByProtocol()).containsExactly(java.util.Map.entry("HTTP/2.0", 20));
					assertThat(upstream.connectionsAccepted()).isEqualTo(1);
					// one rule: the settings, the pool state (and so the meters) agree
					// with
					// the transport
					assertThat(client.settings().isHttp2()).isTrue();
					assertThat(client.state().http2()).isTrue();
					assertThat(client.state().capacity()).isEqualTo(50L * client.settings().pool().maxConnections());
				});
		}
	}

}
