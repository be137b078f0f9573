package io.httppool.resilience;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import io.httppool.HttpPoolClientCustomizer;
import io.httppool.HttpPoolClientSettings;
import io.httppool.HttpPoolDeadlineExceededException;
import io.httppool.test.TcpProxy;
import io.httppool.test.TestUpstream;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpProtocol;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.InputStreamResource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The {@code RestClient} path streams request bodies to the network as they are written
 * (no {@code byte[]} of the whole body, though the starter's interceptors run around each
 * attempt), sends a body again only when it can be replayed, and ends a call at its
 * deadline without interrupting the calling thread.
 */
class RestClientStreamingTests extends WireMockTests {

	private static final int MIB = 1024 * 1024;

	enum Protocol {

		HTTP11(HttpProtocol.HTTP11, "http1"), H2C(HttpProtocol.H2C, "h2c");

		final HttpProtocol server;

		final String client;

		Protocol(HttpProtocol server, String client) {
			this.server = server;
			this.client = client;
		}

	}

	@ParameterizedTest
	@EnumSource(Protocol.class)
	void aBodyOfUnknownLengthReachesTheServerWhileItIsStillBeingProduced(Protocol protocol) {
		assertStreams(protocol, (runner) -> runner);
	}

	@Test
	void aBodyStreamsThroughTheRestClientBuilderOfSpringBootToo() {
		assertStreams(Protocol.HTTP11,
				(runner) -> runner.withConfiguration(AutoConfigurations.of(RestClientAutoConfiguration.class)));
	}

	private static void assertStreams(Protocol protocol, UnaryOperator<ApplicationContextRunner> configuration) {
		CountDownLatch serverSawBytes = new CountDownLatch(1);
		AtomicLong received = new AtomicLong();
		AtomicReference<String> transferEncoding = new AtomicReference<>();
		try (TestUpstream upstream = TestUpstream.speaking(protocol.server).handler((request, response) -> {
			transferEncoding.set(String.valueOf(request.requestHeaders().get(HttpHeaderNames.TRANSFER_ENCODING)));
			return request.receive().doOnNext((buffer) -> {
				received.addAndGet(buffer.readableBytes());
				serverSawBytes.countDown();
			}).then(Mono.defer(() -> response.header("x-received", String.valueOf(received.get())).send().then()));
		}).start()) {
			configuration
				.apply(ResilienceTesting.runner(upstream.baseUrl())
					.withPropertyValues(ResilienceTesting.key("protocol=" + protocol.client),
							ResilienceTesting.key("timeout=30s")))
				.run((context) -> {
					// the producer hands over its first 8 KiB, then waits until the
					// server
					// has seen bytes: a client that buffers the body never gets there
					Producer body = new Producer(4 * MIB, 8192, serverSawBytes);
					ResponseEntity<Void> response = post(ResilienceTesting.client(context).restClient(), body);
					assertThat(body.failure).as("the producer waited for the server in vain").isNull();
					assertThat(response.getStatusCode().value()).isEqualTo(200);
					assertThat(response.getHeaders().getFirst("x-received")).isEqualTo(String.valueOf(4 * MIB));
					if (protocol == Protocol.HTTP11) {
						assertThat(transferEncoding.get()).isEqualTo("chunked");
					}
					ResilienceTesting.assertNoActiveConnections(context);
				});
		}
	}

	@Test
	void theCallingThreadAllocatesFarLessThanTheBodyItStreams() {
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.HTTP11)
			.handler((request, response) -> request.receive().then(Mono.defer(() -> response.send().then())))
			.start()) {
			ResilienceTesting.runner(upstream.baseUrl())
				.withPropertyValues(ResilienceTesting.key("timeout=30s"))
				.run((context) -> {
					RestClient restClient = ResilienceTesting.client(context).restClient();
					// warm up: classes loaded, connection open
					post(restClient, new Producer(MIB, 8192, null));
					com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
						.getThreadMXBean();
					long before = threads.getCurrentThreadAllocatedBytes();
					ResponseEntity<Void> response = post(restClient, new Producer(64 * MIB, 8192, null));
					long allocated = threads.getCurrentThreadAllocatedBytes() - before;
					assertThat(response.getStatusCode().value()).isEqualTo(200);
					// a buffered body costs the caller at least the 64 MiB array
					assertThat(allocated).as("bytes allocated by the calling thread").isLessThan(4L * MIB);
				});
		}
	}

	@Test
	void aStreamedBodyIsNotSentAgainAfterAFailedAttemptButAReplayableOneIs() {
		server.stubFor(any(urlEqualTo("/upload")).willReturn(aResponse().withStatus(503)));
		ResilienceTesting.runner(server.baseUrl())
			.withPropertyValues(ResilienceTesting.key("retry.max-attempts=3"))
			.run((context) -> {
				RestClient restClient = ResilienceTesting.client(context).restClient();
				Integer streamed = restClient.put()
					.uri("/upload")
					.contentType(MediaType.APPLICATION_OCTET_STREAM)
					.body(new InputStreamResource(new Producer(64 * 1024, 8192, null)))
					.exchange((request, response) -> response.getStatusCode().value());
				assertThat(streamed).isEqualTo(503);
				assertThat(received("/upload")).isEqualTo(1);
				server.resetRequests();
				Integer replayable = restClient.put()
					.uri("/upload")
					.contentType(MediaType.TEXT_PLAIN)
					.body("a body Spring can write again")
					.exchange((request, response) -> response.getStatusCode().value());
				assertThat(replayable).isEqualTo(503);
				assertThat(received("/upload")).isEqualTo(3);
				ResilienceTesting.assertNoActiveConnections(context);
			});
	}

	@Test
	void theDeadlineEndsTheCallTypedWithoutInterruptingTheCallingThread() {
		AtomicReference<String> waitInsideTheCall = new AtomicReference<>();
		try (TcpProxy proxy = new TcpProxy(server.port())) {
			proxy.mode(TcpProxy.Mode.BLACK_HOLE);
			ResilienceTesting.runner(proxy.baseUrl())
				.withPropertyValues(ResilienceTesting.key("timeout=300ms"))
				.withBean(HttpPoolClientCustomizer.class, () -> new InterruptibleWork(waitInsideTheCall))
				.run((context) -> {
					RestClient restClient = ResilienceTesting.client(context).restClient();
					long start = System.nanoTime();
					Throwable failure = catchThrowable(
							() -> restClient.get().uri("/hang").retrieve().toBodilessEntity());
					Duration took = Duration.ofNanos(System.nanoTime() - start);
					assertThat(failure).isInstanceOf(HttpPoolDeadlineExceededException.class);
					assertThat(Thread.currentThread().isInterrupted()).isFalse();
					// the application's own interruptible wait inside the call ran its
					// course: the deadline interrupted nothing
					assertThat(waitInsideTheCall.get()).isEqualTo("finished");
					assertThat(took).isBetween(Duration.ofMillis(250), Duration.ofSeconds(10));
					// and the caller's next interruptible operation is not disturbed
					assertThat(new CountDownLatch(1).await(50, TimeUnit.MILLISECONDS)).isFalse();
					ResilienceTesting.assertNoActiveConnections(context);
				});
		}
	}

	private static ResponseEntity<Void> post(RestClient restClient, InputStream body) {
		return restClient.post()
			.uri("/upload")
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.body(new InputStreamResource(body))
			.retrieve()
			.toBodilessEntity();
	}

	private static int received(String path) {
		return server.countRequestsMatching(anyRequestedFor(urlEqualTo(path)).build()).getCount();
	}

	/**
	 * A body of a given size that exists only as it is read, optionally pausing after its
	 * first read until a latch opens.
	 */
	private static final class Producer extends InputStream {

		private long remaining;

		private final int firstRead;

		private final CountDownLatch pause;

		private boolean started;

		volatile IOException failure;

		Producer(long size, int firstRead, CountDownLatch pause) {
			this.remaining = size;
			this.firstRead = firstRead;
			this.pause = pause;
		}

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			return (read(one, 0, 1) < 0) ? -1 : one[0];
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			if (this.remaining == 0) {
				return -1;
			}
			if (this.started && this.pause != null) {
				awaitServer();
			}
			int count = (int) Math.min(this.remaining, this.started ? length : Math.min(length, this.firstRead));
			this.started = true;
			Arrays.fill(buffer, offset, offset + count, (byte) 'x');
			this.remaining -= count;
			return count;
		}

		private void awaitServer() throws IOException {
			try {
				if (!this.pause.await(10, TimeUnit.SECONDS)) {
					this.failure = new IOException("the server saw no byte of the body");
					throw this.failure;
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IOException(ex);
			}
		}

	}

	/**
	 * An interceptor of the application that waits, interruptibly, for longer than the
	 * deadline on the calling thread, and notes how the wait ended.
	 */
	private record InterruptibleWork(AtomicReference<String> outcome) implements HttpPoolClientCustomizer {

		@Override
		public void customizeRestClient(HttpPoolClientSettings settings, RestClient.Builder builder) {
			builder.requestInterceptor((request, body, execution) -> {
				if (this.outcome.get() == null) {
					try {
						new CountDownLatch(1).await(500, TimeUnit.MILLISECONDS);
						this.outcome.set("finished");
					}
					catch (InterruptedException ex) {
						this.outcome.set("interrupted");
						Thread.currentThread().interrupt();
					}
				}
				return execution.execute(request, body);
			});
		}

	}

}
