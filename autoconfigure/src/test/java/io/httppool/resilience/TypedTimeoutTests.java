package io.httppool.resilience;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.retry.RetryRegistry;
import io.httppool.HttpPoolClient;
import io.httppool.HttpPoolDeadlineExceededException;
import io.httppool.HttpPoolExhaustedException;
import io.httppool.HttpPoolTimeoutException;
import io.httppool.resilience.ResilienceTesting.Flavour;
import io.httppool.test.TestUpstream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpProtocol;

import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpMethod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Every timeout reaches the caller of either client as a typed exception that names the
 * client, the timeout, its value and the property to change; the classification behind
 * retries and the breaker is unchanged (a connect timeout was never sent, a response
 * timeout may have been processed).
 */
class TypedTimeoutTests {

	private static final String PREFIX = "http.pool.clients." + ResilienceTesting.CLIENT + ".";

	private static HttpPoolTimeoutException assertTimeout(Throwable error, HttpPoolTimeoutException.Kind kind,
			String value) {
		assertThat(error).isInstanceOf(HttpPoolTimeoutException.class);
		HttpPoolTimeoutException timeout = (HttpPoolTimeoutException) error;
		assertThat(timeout.getKind()).isEqualTo(kind);
		assertThat(timeout.getClientName()).isEqualTo(ResilienceTesting.CLIENT);
		assertThat(timeout.getProperty()).isEqualTo(PREFIX + kind.key());
		assertThat(timeout.getMessage()).contains("'" + ResilienceTesting.CLIENT + "'")
			.contains(value)
			.contains(PREFIX + kind.key());
		return timeout;
	}

	private static Throwable call(Flavour flavour, ApplicationContext context, HttpMethod method, String path) {
		Throwable error = flavour.call(context, method, path, (headers) -> {
		}, (method == HttpMethod.POST) ? "payload" : null).error();
		assertThat(error).as("the call fails").isNotNull();
		return error;
	}

	private static Throwable readBody(Flavour flavour, ApplicationContext context, String path) {
		HttpPoolClient client = ResilienceTesting.client(context);
		return catchThrowable(() -> {
			if (flavour == Flavour.WEB_CLIENT) {
				client.webClient().get().uri(path).retrieve().bodyToMono(String.class).block(Duration.ofSeconds(30));
			}
			else {
				client.restClient().get().uri(path).retrieve().body(String.class);
			}
		});
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void whenTheUpstreamDoesNotAnswerThenTheResponseTimeoutIsTypedAndOnlyIdempotentCallsAreRetried(Flavour flavour) {
		AtomicInteger requests = new AtomicInteger();
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.HTTP11).handler((request, response) -> {
			requests.incrementAndGet();
			return Mono.never();
		}).start()) {
			ResilienceTesting.runner(upstream.baseUrl())
				.withPropertyValues(ResilienceTesting.key("response-timeout=300ms"),
						ResilienceTesting.key("pending-acquire-timeout=300ms"))
				.run((context) -> {
					assertTimeout(call(flavour, context, HttpMethod.POST, "/post"),
							HttpPoolTimeoutException.Kind.RESPONSE, "300ms");
					assertThat(requests.get()).as("a POST that may have been processed is not replayed").isOne();
					assertTimeout(call(flavour, context, HttpMethod.GET, "/get"),
							HttpPoolTimeoutException.Kind.RESPONSE, "300ms");
					assertThat(requests.get()).as("a GET is retried up to max-attempts").isEqualTo(4);
				});
		}
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void whenAnHttp2StreamGetsNoAnswerThenTheResponseTimeoutIsTyped(Flavour flavour) {
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.H2C)
			.handler((request, response) -> Mono.never())
			.start()) {
			ResilienceTesting.runner(upstream.baseUrl())
				.withPropertyValues(ResilienceTesting.key("protocol=h2c"), ResilienceTesting.key("retry.enabled=false"),
						ResilienceTesting.key("response-timeout=300ms"),
						ResilienceTesting.key("pending-acquire-timeout=300ms"))
				.run((context) -> assertTimeout(call(flavour, context, HttpMethod.GET, "/h2"),
						HttpPoolTimeoutException.Kind.RESPONSE, "300ms"));
		}
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void whenTheBodyStallsThenTheReadTimeoutIsTyped(Flavour flavour) {
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.HTTP11)
			.handler((request, response) -> response.sendString(Flux.concat(Mono.just("first part,"), Mono.never())))
			.start()) {
			ResilienceTesting.runner(upstream.baseUrl())
				.withPropertyValues(ResilienceTesting.key("read-timeout=300ms"))
				.run((context) -> assertTimeout(rootTimeout(readBody(flavour, context, "/stall")),
						HttpPoolTimeoutException.Kind.READ, "300ms"));
		}
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void whenTheBodyStallsWithoutReadTimeoutThenTheResponseTimeoutIsTyped(Flavour flavour) {
		assertBodyStallIsAResponseTimeout(flavour, HttpProtocol.HTTP11, "http1");
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void whenAnHttp2BodyStallsWithoutReadTimeoutThenTheResponseTimeoutIsTyped(Flavour flavour) {
		// no translator on HTTP/2 streams: the client guard types the body's failure
		assertBodyStallIsAResponseTimeout(flavour, HttpProtocol.H2C, "h2c");
	}

	private static void assertBodyStallIsAResponseTimeout(Flavour flavour, HttpProtocol protocol, String property) {
		try (TestUpstream upstream = TestUpstream.speaking(protocol)
			.handler((request, response) -> response.sendString(Flux.concat(Mono.just("first part,"), Mono.never())))
			.start()) {
			ResilienceTesting.runner(upstream.baseUrl())
				.withPropertyValues(ResilienceTesting.key("response-timeout=400ms"),
						ResilienceTesting.key("protocol=" + property),
						ResilienceTesting.key("pending-acquire-timeout=300ms"))
				.run((context) -> assertTimeout(rootTimeout(readBody(flavour, context, "/stall")),
						HttpPoolTimeoutException.Kind.RESPONSE, "400ms"));
		}
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void whenTheUpstreamStopsReadingTheUploadThenTheWriteTimeoutIsTyped(Flavour flavour) {
		CountDownLatch requestArrived = new CountDownLatch(1);
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.HTTP11).handler((request, response) -> {
			requestArrived.countDown();
			return Mono.never();
		}).start()) {
			ResilienceTesting.runner(upstream.baseUrl())
				.withPropertyValues(ResilienceTesting.key("write-timeout=300ms"),
						ResilienceTesting.key("retry.enabled=false"))
				.run((context) -> {
					// far more than loopback socket buffers hold
					byte[] upload = new byte[64 * 1024 * 1024];
					HttpPoolClient client = ResilienceTesting.client(context);
					Throwable error = catchThrowable(() -> {
						if (flavour == Flavour.WEB_CLIENT) {
							client.webClient()
								.post()
								.uri("/upload")
								.bodyValue(upload)
								.retrieve()
								.toBodilessEntity()
								.block(Duration.ofSeconds(30));
						}
						else {
							client.restClient().post().uri("/upload").body(upload).retrieve().toBodilessEntity();
						}
					});
					assertTimeout(error, HttpPoolTimeoutException.Kind.WRITE, "300ms");
				});
		}
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void whenNoConnectionIsEstablishedInTimeThenTheConnectTimeoutIsTypedAndRetriedWhateverTheMethod(Flavour flavour)
			throws IOException {
		try (Unanswered unanswered = new Unanswered()) {
			ResilienceTesting.runner("http://127.0.0.1:" + unanswered.port())
				.withPropertyValues(ResilienceTesting.key("connect-timeout=200ms"),
						ResilienceTesting.key("circuit-breaker.enabled=false"))
				.run((context) -> {
					assertTimeout(call(flavour, context, HttpMethod.POST, "/post"),
							HttpPoolTimeoutException.Kind.CONNECT, "200ms");
					assertThat(context.getBean(RetryRegistry.class)
						.retry(ResilienceTesting.CLIENT)
						.getMetrics()
						.getNumberOfFailedCallsWithRetryAttempt()).as("never sent, so even a POST is retried").isOne();
				});
		}
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void whenTheTotalDeadlinePassesThenItIsATypedTimeout(Flavour flavour) {
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.HTTP11)
			.handler((request, response) -> Mono.never())
			.start()) {
			ResilienceTesting.runner(upstream.baseUrl())
				.withPropertyValues(ResilienceTesting.key("timeout=500ms"))
				.run((context) -> {
					Throwable error = call(flavour, context, HttpMethod.GET, "/slow");
					assertThat(error).isInstanceOf(HttpPoolDeadlineExceededException.class);
					assertTimeout(error, HttpPoolTimeoutException.Kind.DEADLINE, "500ms");
				});
		}
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void whenNoConnectionBecomesFreeThenTheExhaustedPoolNamesThePendingAcquireTimeout(Flavour flavour)
			throws Exception {
		CountDownLatch firstArrived = new CountDownLatch(1);
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.HTTP11).handler((request, response) -> {
			firstArrived.countDown();
			return Mono.never();
		}).start()) {
			ResilienceTesting.runner(upstream.baseUrl())
				.withPropertyValues(ResilienceTesting.key("max-connections=1"),
						ResilienceTesting.key("pending-acquire-timeout=300ms"),
						ResilienceTesting.key("response-timeout=1s"), ResilienceTesting.key("retry.enabled=false"),
						ResilienceTesting.key("timeout=0"))
				.run((context) -> {
					CompletableFuture<?> holder = CompletableFuture
						.runAsync(() -> flavour.call(context, HttpMethod.GET, "/hold"));
					assertThat(firstArrived.await(10, TimeUnit.SECONDS)).isTrue();
					Throwable error = call(flavour, context, HttpMethod.GET, "/wait");
					assertThat(error).isInstanceOf(HttpPoolExhaustedException.class)
						.hasMessageContaining(PREFIX + "pending-acquire-timeout");
					holder.get(10, TimeUnit.SECONDS);
				});
		}
	}

	@org.junit.jupiter.api.Test
	void aConnectTimeoutWasNeverSentAndTheOthersMayHaveBeenProcessed() {
		FailureClassifier classifier = FailureClassifier.standard();
		assertThat(classifier.classify(
				new HttpPoolTimeoutException("up", HttpPoolTimeoutException.Kind.CONNECT, Duration.ofSeconds(1), null)))
			.isEqualTo(FailureKind.CONNECT);
		for (HttpPoolTimeoutException.Kind kind : List.of(HttpPoolTimeoutException.Kind.RESPONSE,
				HttpPoolTimeoutException.Kind.READ, HttpPoolTimeoutException.Kind.WRITE)) {
			assertThat(classifier.classify(new HttpPoolTimeoutException("up", kind, Duration.ofSeconds(1), null)))
				.isEqualTo(FailureKind.TRANSPORT);
		}
	}

	/**
	 * The typed timeout, where a body read wraps it (the {@code RestClient} reports a
	 * failed body read as a {@code RestClientException} caused by it).
	 */
	private static Throwable rootTimeout(Throwable error) {
		for (Throwable candidate = error; candidate != null; candidate = candidate.getCause()) {
			if (candidate instanceof HttpPoolTimeoutException) {
				return candidate;
			}
		}
		return error;
	}

	/**
	 * A listening socket whose accept queue is full, so that the kernel drops further
	 * SYNs and a connect times out.
	 */
	private static final class Unanswered implements AutoCloseable {

		private final ServerSocket server = new ServerSocket();

		private final List<Socket> fillers = new ArrayList<>();

		Unanswered() throws IOException {
			this.server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
			for (int i = 0; i < 8; i++) {
				Socket filler = new Socket();
				try {
					filler.connect(this.server.getLocalSocketAddress(), 100);
					this.fillers.add(filler);
				}
				catch (IOException ex) {
					filler.close();
					break;
				}
			}
		}

		int port() {
			return this.server.getLocalPort();
		}

		@Override
		public void close() throws IOException {
			for (Socket filler : this.fillers) {
				filler.close();
			}
			this.server.close();
		}

	}

}
