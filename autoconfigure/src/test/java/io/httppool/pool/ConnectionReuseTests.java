package io.httppool.pool;

import java.time.Duration;
import java.util.List;

import io.httppool.HttpPoolClient;
import io.httppool.HttpPoolClients;
import io.httppool.HttpPoolState;
import io.httppool.test.HttpPoolTestContexts;
import io.httppool.test.TestUpstream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpProtocol;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sequential requests reuse one connection, and a server that closes idle connections
 * never makes a request fail.
 */
class ConnectionReuseTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@ParameterizedTest
	@ValueSource(strings = { "h2", "h2c", "http1" })
	void whenTwoHundredSequentialGetsThenServerSeesOneConnection(String protocol) {
		try (TestUpstream upstream = upstream(protocol).start()) {
			runner(protocol, upstream).run((context) -> {
				HttpPoolClient client = context.getBean(HttpPoolClients.class).get("stt");
				WebClient webClient = context.getBean("sttWebClient", WebClient.class);
				RestClient restClient = context.getBean("sttRestClient", RestClient.class);
				for (int i = 0; i < 100; i++) {
					assertThat(webClient.get().uri("/items/{i}", i).retrieve().bodyToMono(String.class).block(TIMEOUT))
						.isEqualTo("ok");
					awaitConnectionBackInPool(client);
					assertThat(restClient.get().uri("/items/{i}", i).retrieve().body(String.class)).isEqualTo("ok");
					awaitConnectionBackInPool(client);
				}
				assertThat(upstream.requests()).isEqualTo(200);
				assertThat(upstream.connectionsAccepted()).isOne();
				HttpPoolState state = client.state();
				assertThat(state.connectionsOpened()).isOne();
				assertThat(state.requests()).isEqualTo(200);
				assertThat(state.reuseRatio()).isEqualTo(1 - 1 / 200.0);
				assertThat(upstream.requestsByProtocol())
					.containsOnlyKeys(protocol.equals("http1") ? "HTTP/1.1" : "HTTP/2.0");
			});
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2c", "http1" })
	void whenSequentialGetsFollowEachOtherWithoutPauseThenAtMostTwoConnectionsOpen(String protocol) {
		// Reactor Netty completes a response body a moment before it returns the
		// HTTP/1.1 connection to the pool, so a request sent at once may open a second
		// connection; LIFO leasing keeps it at two.
		try (TestUpstream upstream = upstream(protocol).start()) {
			runner(protocol, upstream).run((context) -> {
				WebClient webClient = context.getBean("sttWebClient", WebClient.class);
				Long ok = Flux.range(0, 200)
					.concatMap((i) -> webClient.get().uri("/items/{i}", i).retrieve().bodyToMono(String.class))
					.count()
					.block(TIMEOUT);
				assertThat(ok).isEqualTo(200);
				assertThat(upstream.connectionsAccepted()).isBetween(1, protocol.equals("http1") ? 2 : 1);
			});
		}
	}

	private static void awaitConnectionBackInPool(HttpPoolClient client) {
		if (!client.settings().isHttp2()) {
			Awaitility.await()
				.pollDelay(Duration.ZERO)
				.pollInterval(Duration.ofMillis(1))
				.atMost(TIMEOUT)
				.until(() -> client.state().activeConnections() == 0);
		}
	}

	@Test
	void whenServerClosesIdleConnectionsThenPeriodicGetsNeverFail() {
		// HTTP/1.1 and h2c side by side, a GET every 2 s for 20 s each: every GET finds
		// its previous connection closed by the server after 1 s of idleness (a second
		// before the GET: with 200 ms a busy client had not yet read the close and sent
		// the GET on the closing connection, the boundary race KeepAliveRaceTests covers)
		try (TestUpstream http1 = upstream("http1").closeIdleAfter(Duration.ofSeconds(1)).start();
				TestUpstream h2c = upstream("h2c").closeIdleAfter(Duration.ofSeconds(1)).start()) {
			runner("http1", http1)
				.withPropertyValues("http.pool.clients.llm.base-url=" + h2c.baseUrl(),
						"http.pool.clients.llm.protocol=h2c")
				.run((context) -> {
					Flux<String> overHttp1 = periodicGets(context.getBean("sttWebClient", WebClient.class));
					Flux<String> overH2c = periodicGets(context.getBean("llmWebClient", WebClient.class));
					List<String> results = Flux.merge(overHttp1, overH2c).collectList().block(Duration.ofSeconds(60));
					assertThat(results).hasSize(20).containsOnly("ok");
					assertThat(http1.connectionsAccepted()).isGreaterThan(1);
					assertThat(h2c.connectionsAccepted()).isGreaterThan(1);
				});
		}
	}

	private static Flux<String> periodicGets(WebClient client) {
		return Flux.interval(Duration.ZERO, Duration.ofSeconds(2))
			.take(10)
			.concatMap((i) -> client.get()
				.uri("/ping")
				.retrieve()
				.bodyToMono(String.class)
				.onErrorResume((ex) -> Mono.just("failed: " + ex)));
	}

	private static TestUpstream.Builder upstream(String protocol) {
		return switch (protocol) {
			case "h2" -> TestUpstream.speaking(HttpProtocol.H2, HttpProtocol.HTTP11).tls();
			case "h2c" -> TestUpstream.speaking(HttpProtocol.H2C);
			default -> TestUpstream.speaking(HttpProtocol.HTTP11);
		};
	}

	private static ApplicationContextRunner runner(String protocol, TestUpstream upstream) {
		return HttpPoolTestContexts.core()
			.withPropertyValues(TestUpstream.trustBundleProperties("upstream"))
			.withPropertyValues("http.pool.clients.stt.base-url=" + upstream.baseUrl(),
					"http.pool.clients.stt.ssl.bundle=upstream",
					"http.pool.clients.stt.protocol=" + (protocol.equals("h2") ? "auto" : protocol));
	}

}
