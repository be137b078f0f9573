package io.httppool.resilience;

import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.httppool.HttpPoolClient;
import io.httppool.HttpPoolException;
import io.httppool.test.TcpProxy;
import io.httppool.test.TestUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import static io.httppool.resilience.ResilienceTesting.key;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults of the network and of the upstream, per protocol and per client: the caller gets
 * a typed exception that names the client and the cause, within the configured timeouts,
 * and the pool is left with no active connection.
 */
class TransportFaultTests {

	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

	private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(3);

	private static final Duration DEADLINE = Duration.ofSeconds(8);

	// large enough that a cut after 16 KB falls in the middle of the body, in every
	// protocol (TLS handshake and HTTP/2 preface included)
	private static final String BODY = "x".repeat(256 * 1024);

	private static final List<TestUpstream> upstreams = new ArrayList<>();

	private static TestUpstream http1;

	private static TestUpstream h2c;

	private static TestUpstream h2;

	@BeforeAll
	static void startUpstreams() {
		http1 = start(TestUpstream.speaking(HttpProtocol.HTTP11));
		h2c = start(TestUpstream.speaking(HttpProtocol.H2C));
		h2 = start(TestUpstream.speaking(HttpProtocol.H2, HttpProtocol.HTTP11).tls());
	}

	private static TestUpstream start(TestUpstream.Builder builder) {
		TestUpstream upstream = builder.handler((request, response) -> response.sendString(Mono.just(BODY))).start();
		upstreams.add(upstream);
		return upstream;
	}

	@AfterAll
	static void stopUpstreams() {
		upstreams.forEach(TestUpstream::close);
	}

	static Stream<Arguments> cases() {
		Stream.Builder<Arguments> cases = Stream.builder();
		for (Protocol protocol : Protocol.values()) {
			for (ResilienceTesting.Flavour flavour : ResilienceTesting.Flavour.values()) {
				cases.add(Arguments.of(protocol, flavour));
			}
		}
		return cases.build();
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("cases")
	void whenTheConnectionIsRefusedThenTheCallerGetsATypedErrorNamingTheClient(Protocol protocol,
			ResilienceTesting.Flavour flavour) {
		try (TcpProxy proxy = new TcpProxy(protocol.upstream().port())) {
			proxy.stopListening();
			assertTypedFailure(protocol, flavour, proxy, "refused");
		}
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("cases")
	void whenTheConnectionIsResetMidResponseThenTheCallerGetsATypedErrorNamingTheClient(Protocol protocol,
			ResilienceTesting.Flavour flavour) {
		try (TcpProxy proxy = new TcpProxy(protocol.upstream().port())) {
			proxy.mode(TcpProxy.Mode.RESET_MID_RESPONSE);
			assertTypedFailure(protocol, flavour, proxy, protocol.resetCause);
		}
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("cases")
	void whenTheBodyIsTruncatedThenTheCallerGetsATypedErrorNamingTheClient(Protocol protocol,
			ResilienceTesting.Flavour flavour) {
		try (TcpProxy proxy = new TcpProxy(protocol.upstream().port())) {
			proxy.mode(TcpProxy.Mode.TRUNCATE);
			assertTypedFailure(protocol, flavour, proxy, "closed");
		}
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("cases")
	void whenTheUpstreamAnswersGarbageThenTheCallerGetsATypedErrorNamingTheClient(Protocol protocol,
			ResilienceTesting.Flavour flavour) {
		try (TcpProxy proxy = new TcpProxy(protocol.upstream().port())) {
			proxy.mode(TcpProxy.Mode.GARBAGE);
			assertTypedFailure(protocol, flavour, proxy, "not valid HTTP");
		}
	}

	@ParameterizedTest
	@EnumSource(ResilienceTesting.Flavour.class)
	void whenTheCertificateIsForAnotherHostThenTheHandshakeFailsByDefaultWithATypedError(
			ResilienceTesting.Flavour flavour) throws Exception {
		X509Bundle otherHost = new CertificateBuilder().subject("CN=other.example")
			.addSanDnsName("other.example")
			.setIsCertificateAuthority(true)
			.ecp256()
			.buildSelfSigned();
		DisposableServer server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.protocol(HttpProtocol.H2, HttpProtocol.HTTP11)
			.secure((spec) -> spec.sslContext(forServer(otherHost)))
			.handle((request, response) -> response.sendString(Mono.just("ok")))
			.bindNow(Duration.ofSeconds(10));
		try {
			File pem = otherHost.toTempCertChainPem();
			pem.deleteOnExit();
			String baseUrl = "https://127.0.0.1:" + server.port();
			// trusted, but issued for another host
			runner(Protocol.H2, baseUrl)
				.withPropertyValues("spring.ssl.bundle.pem.other.truststore.certificate=file:" + pem.getAbsolutePath(),
						key("ssl.bundle=other"))
				.run((context) -> assertTyped(flavour, readBody(flavour, ResilienceTesting.client(context)),
						"TLS handshake"));
			// not trusted at all: the JDK's trust store
			ResilienceTesting.runner(baseUrl)
				.withPropertyValues(key("protocol=h2"))
				.run((context) -> assertTyped(flavour, readBody(flavour, ResilienceTesting.client(context)),
						"TLS handshake"));
			// trust-all only when set
			ResilienceTesting.runner(baseUrl)
				.withPropertyValues(key("protocol=h2"), key("ssl.trust-all=true"))
				.run((context) -> assertThat(readBody(flavour, ResilienceTesting.client(context)).error()).isNull());
		}
		finally {
			server.disposeNow(Duration.ofSeconds(5));
		}
	}

	@ParameterizedTest
	@EnumSource(ResilienceTesting.Flavour.class)
	void whenTheHostNameDoesNotResolveThenTheCallerGetsATypedErrorNamingTheClient(ResilienceTesting.Flavour flavour) {
		runner(Protocol.HTTP1, "http://no-such-host.invalid:8080").run((context) -> {
			ResilienceTesting.Outcome outcome = readBody(flavour, ResilienceTesting.client(context));
			assertTyped(flavour, outcome, "did not resolve");
			assertThat(outcome.took()).isLessThan(DEADLINE);
			ResilienceTesting.assertNoActiveConnections(context);
		});
	}

	private static Http2SslContextSpec forServer(X509Bundle bundle) {
		try {
			return Http2SslContextSpec.forServer(bundle.toKeyManagerFactory());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void assertTyped(ResilienceTesting.Flavour flavour, ResilienceTesting.Outcome outcome,
			String cause) {
		assertThat(outcome.error()).as("outcome %s", outcome).isInstanceOf(HttpPoolException.class);
		HttpPoolException typed = (HttpPoolException) outcome.error();
		assertThat(typed.getClientName()).isEqualTo(ResilienceTesting.CLIENT);
		assertThat(typed.getMessage()).contains("'" + ResilienceTesting.CLIENT + "'").containsIgnoringCase(cause);
	}

	private void assertTypedFailure(Protocol protocol, ResilienceTesting.Flavour flavour, TcpProxy proxy,
			String cause) {
		runner(protocol, protocol.scheme + "://127.0.0.1:" + proxy.port()).run((context) -> {
			ResilienceTesting.Outcome outcome = readBody(flavour, ResilienceTesting.client(context));
			assertThat(outcome.error()).as("outcome %s", outcome).isNotNull();
			HttpPoolException typed = outcome.find(HttpPoolException.class);
			assertThat(typed).as("typed exception in %s", outcome.error()).isNotNull();
			if (outcome.error() instanceof WebClientResponseException wrapped) {
				// Spring wraps every failure while the body streams: ours is its cause
				assertThat(flavour).isEqualTo(ResilienceTesting.Flavour.WEB_CLIENT);
				assertThat(wrapped.getCause()).isSameAs(typed);
			}
			else {
				assertThat(outcome.error()).isSameAs(typed);
			}
			assertThat(typed.getClientName()).isEqualTo(ResilienceTesting.CLIENT);
			assertThat(typed.getMessage()).contains("'" + ResilienceTesting.CLIENT + "'").containsIgnoringCase(cause);
			// every attempt bounded by the transport timeouts, the call by the deadline
			assertThat(outcome.took()).isLessThan(DEADLINE);
			ResilienceTesting.assertNoActiveConnections(context);
		});
	}

	// the caller reads the whole body, as most do: a cut in the middle of it must fail
	private static ResilienceTesting.Outcome readBody(ResilienceTesting.Flavour flavour, HttpPoolClient client) {
		long start = System.nanoTime();
		try {
			String body = switch (flavour) {
				case WEB_CLIENT -> client.webClient()
					.get()
					.uri("/body")
					.retrieve()
					.bodyToMono(String.class)
					.block(Duration.ofSeconds(60));
				case REST_CLIENT -> client.restClient().get().uri("/body").retrieve().body(String.class);
			};
			return new ResilienceTesting.Outcome((body != null) ? body.length() : 0, null,
					Duration.ofNanos(System.nanoTime() - start));
		}
		catch (RuntimeException ex) {
			return new ResilienceTesting.Outcome(0, ex, Duration.ofNanos(System.nanoTime() - start));
		}
	}

	private static ApplicationContextRunner runner(Protocol protocol, String baseUrl) {
		return ResilienceTesting.runner(baseUrl)
			.withPropertyValues(TestUpstream.trustBundleProperties("faults"))
			.withPropertyValues(key("protocol=" + protocol.property), key("ssl.bundle=faults"),
					key("timeouts.connect-timeout=" + CONNECT_TIMEOUT.toMillis() + "ms"),
					key("timeouts.response-timeout=" + RESPONSE_TIMEOUT.toMillis() + "ms"),
					key("timeout=" + DEADLINE.toMillis() + "ms"));
	}

	enum Protocol {

		// a reset of an HTTP/2 connection reaches its streams as a closed connection
		HTTP1("http1", "http", "reset"), H2C("h2c", "http", "closed"), H2("h2", "https", "closed");

		private final String property;

		private final String scheme;

		private final String resetCause;

		Protocol(String property, String scheme, String resetCause) {
			this.property = property;
			this.scheme = scheme;
			this.resetCause = resetCause;
		}

		TestUpstream upstream() {
			return switch (this) {
				case HTTP1 -> http1;
				case H2C -> h2c;
				case H2 -> h2;
			};
		}

	}

}
