package io.httppool.resilience;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.httppool.resilience.ResilienceTesting.Flavour;
import io.httppool.resilience.ResilienceTesting.Outcome;
import io.httppool.test.TcpProxy;
import io.httppool.test.TestUpstream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpProtocol;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpMethod;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection that goes silent (no FIN, no RST: a NAT or firewall that forgot the flow,
 * a frozen peer) costs one attempt, not the client: the next attempt goes to a fresh
 * connection, the call succeeds within its deadline and the breaker stays closed. Over
 * HTTP/1.1 the response timeout closes the connection; over HTTP/2 the other streams
 * would keep it alive, so a stream timeout on a connection that received nothing in the
 * meantime retires it.
 */
class BlackHoleTests {

	private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(1);

	private static final Duration DEADLINE = Duration.ofSeconds(10);

	// far above a call on a fresh connection on a busy machine: a call that waited for
	// the response timeout on the dead connection takes at least this long
	private static final Duration PING_TEST_RESPONSE_TIMEOUT = Duration.ofSeconds(20);

	enum Transport {

		HTTP1("http1", "http", HttpProtocol.HTTP11),

		H2C("h2c", "http", HttpProtocol.H2C),

		H2_TLS("h2", "https", HttpProtocol.H2);

		final String protocol;

		final String scheme;

		final HttpProtocol serverProtocol;

		Transport(String protocol, String scheme, HttpProtocol serverProtocol) {
			this.protocol = protocol;
			this.scheme = scheme;
			this.serverProtocol = serverProtocol;
		}

		TestUpstream.Builder upstream() {
			TestUpstream.Builder builder = TestUpstream.speaking(this.serverProtocol);
			return (this == H2_TLS) ? builder.tls() : builder;
		}

	}

	static Stream<Arguments> cases() {
		return Stream.of(Transport.values())
			.flatMap((transport) -> Stream.of(Flavour.values()).map((flavour) -> Arguments.of(transport, flavour)));
	}

	private static ApplicationContextRunner runner(Transport transport, TcpProxy proxy) {
		return ResilienceTesting.runner(proxy.baseUrl(transport.scheme))
			.withPropertyValues(TestUpstream.trustBundleProperties("upstream"))
			.withPropertyValues(ResilienceTesting.key("protocol=" + transport.protocol),
					ResilienceTesting.key("ssl.bundle=upstream"),
					ResilienceTesting.key("response-timeout=" + RESPONSE_TIMEOUT.toMillis() + "ms"),
					ResilienceTesting.key("pending-acquire-timeout=" + RESPONSE_TIMEOUT.toMillis() + "ms"),
					ResilienceTesting.key("timeout=" + DEADLINE.toSeconds() + "s"));
	}

	private static CircuitBreaker.State breakerState(org.springframework.context.ApplicationContext context) {
		return context.getBean(CircuitBreakerRegistry.class).circuitBreaker(ResilienceTesting.CLIENT).getState();
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("cases")
	void whenAnIdleConnectionGoesSilentThenTheNextCallSucceedsOnAFreshConnection(Transport transport, Flavour flavour) {
		try (TestUpstream upstream = transport.upstream().start(); TcpProxy proxy = new TcpProxy(upstream.port())) {
			runner(transport, proxy).run((context) -> {
				assertThat(flavour.call(context, HttpMethod.GET, "/warm").status()).isEqualTo(200);
				assertThat(proxy.blackHoleOpenConnections()).isOne();
				Outcome outcome = flavour.call(context, HttpMethod.GET, "/after");
				assertThat(outcome.error()).isNull();
				assertThat(outcome.status()).isEqualTo(200);
				assertThat(outcome.took()).isLessThan(DEADLINE);
				assertThat(upstream.connectionsAccepted()).isEqualTo(2);
				assertThat(breakerState(context)).isEqualTo(CircuitBreaker.State.CLOSED);
			});
		}
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("cases")
	void whenAConnectionGoesSilentDuringACallThenTheRetrySucceedsOnAFreshConnection(Transport transport,
			Flavour flavour) throws Exception {
		CountDownLatch firstRequestArrived = new CountDownLatch(1);
		// the answer waits until the connection is silent, however late the test thread
		// runs: a timed delay let it through on a busy machine
		CompletableFuture<String> silenced = new CompletableFuture<>();
		AtomicInteger requests = new AtomicInteger();
		try (TestUpstream upstream = transport.upstream().handler((request, response) -> {
			requests.incrementAndGet();
			firstRequestArrived.countDown();
			return response.sendString(Mono.fromFuture(silenced));
		}).start(); TcpProxy proxy = new TcpProxy(upstream.port())) {
			runner(transport, proxy).run((context) -> {
				CompletableFuture<Outcome> call = CompletableFuture
					.supplyAsync(() -> flavour.call(context, HttpMethod.GET, "/active"));
				assertThat(firstRequestArrived.await(10, TimeUnit.SECONDS)).isTrue();
				assertThat(proxy.blackHoleOpenConnections()).isOne();
				silenced.complete("ok");
				Outcome outcome = call.get(30, TimeUnit.SECONDS);
				assertThat(outcome.error()).isNull();
				assertThat(outcome.status()).isEqualTo(200);
				assertThat(outcome.took()).isLessThan(DEADLINE);
				assertThat(requests.get()).isEqualTo(2);
				assertThat(upstream.connectionsAccepted()).isEqualTo(2);
				assertThat(breakerState(context)).isEqualTo(CircuitBreaker.State.CLOSED);
			});
		}
	}

	@ParameterizedTest
	@org.junit.jupiter.params.provider.EnumSource(Flavour.class)
	void whenAStreamTimesOutOnAConnectionThatStillReceivesThenTheConnectionIsKept(Flavour flavour) {
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.H2C)
			.handler((request, response) -> request.uri().equals("/hang") ? Mono.never()
					: response.sendString(Flux.interval(Duration.ofMillis(100)).take(20).map((tick) -> "tick ")))
			.start(); TcpProxy proxy = new TcpProxy(upstream.port())) {
			runner(Transport.H2C, proxy).withPropertyValues(ResilienceTesting.key("retry.enabled=false"))
				.run((context) -> {
					Mono<String> streaming = ResilienceTesting.client(context)
						.webClient()
						.get()
						.uri("/stream")
						.retrieve()
						.bodyToMono(String.class);
					CompletableFuture<String> body = streaming.toFuture();
					Outcome hung = flavour.call(context, HttpMethod.GET, "/hang");
					assertThat(hung.error()).isNotNull();
					assertThat(body.get(10, TimeUnit.SECONDS)).contains("tick");
					assertThat(upstream.connectionsAccepted()).isOne();
				});
		}
	}

	@ParameterizedTest
	@org.junit.jupiter.params.provider.EnumSource(value = Transport.class, names = { "H2C", "H2_TLS" })
	void whenAnIdleHttp2ConnectionGoesSilentThenThePingFindsItBeforeTheNextCall(Transport transport) {
		try (TestUpstream upstream = transport.upstream().start(); TcpProxy proxy = new TcpProxy(upstream.port())) {
			runner(transport, proxy)
				.withPropertyValues(ResilienceTesting.key("max-idle-time=300ms"),
						ResilienceTesting.key("eviction-interval=100ms"),
						ResilienceTesting.key("http2.ping-ack-timeout=300ms"),
						ResilienceTesting.key("response-timeout=" + PING_TEST_RESPONSE_TIMEOUT.toSeconds() + "s"))
				.run((context) -> {
					assertThat(Flavour.WEB_CLIENT.call(context, HttpMethod.GET, "/warm").status()).isEqualTo(200);
					assertThat(proxy.blackHoleOpenConnections()).isOne();
					// idle for max-idle-time, then a PING that gets no ack
					org.awaitility.Awaitility.await()
						.atMost(Duration.ofSeconds(10))
						.until(() -> ResilienceTesting.client(context).state().idleConnections() == 0
								&& ResilienceTesting.client(context).state().activeConnections() == 0);
					Outcome outcome = Flavour.WEB_CLIENT.call(context, HttpMethod.GET, "/after");
					assertThat(outcome.status()).isEqualTo(200);
					assertThat(outcome.took()).as("no response timeout on the dead connection")
						.isLessThan(PING_TEST_RESPONSE_TIMEOUT);
					assertThat(upstream.connectionsAccepted()).isEqualTo(2);
				});
		}
	}

}
