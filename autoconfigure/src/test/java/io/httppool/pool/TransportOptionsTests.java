package io.httppool.pool;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;

import io.httppool.HttpPoolClients;
import io.httppool.test.HttpPoolTestContexts;
import io.httppool.test.TestUpstream;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.handler.timeout.WriteTimeoutException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpProtocol;
import reactor.test.StepVerifier;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Transport keys do what they say, seen from the server: compression, redirects, read and
 * write timeouts, and HTTP/2 PING keeping an idle connection alive.
 */
class TransportOptionsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	@Test
	void whenCompressionIsOnThenClientAsksForGzipAndDecodesIt() throws IOException {
		byte[] gzipped = gzip("hello compressed world");
		AtomicReference<String> acceptEncoding = new AtomicReference<>();
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.HTTP11).handler((request, response) -> {
			acceptEncoding.set(request.requestHeaders().get("Accept-Encoding"));
			return response.header("Content-Encoding", "gzip").sendByteArray(Mono.just(gzipped));
		}).start()) {
			HttpPoolTestContexts.core()
				.withPropertyValues("http.pool.clients.stt.base-url=" + upstream.baseUrl(),
						"http.pool.clients.stt.compression=true")
				.run((context) -> assertThat(context.getBean("sttWebClient", WebClient.class)
					.get()
					.uri("/z")
					.retrieve()
					.bodyToMono(String.class)
					.block(TIMEOUT)).isEqualTo("hello compressed world"));
		}
		assertThat(acceptEncoding.get()).contains("gzip");
	}

	@Test
	void whenFollowRedirectsIsOnThenRedirectIsFollowedAndOffByDefault() {
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.HTTP11)
			.handler((request, response) -> request.uri().equals("/old") ? response.sendRedirect("/new")
					: response.sendString(Mono.just("moved here")))
			.start()) {
			HttpPoolTestContexts.core()
				.withPropertyValues("http.pool.clients.follow.base-url=" + upstream.baseUrl(),
						"http.pool.clients.follow.follow-redirects=true",
						"http.pool.clients.stay.base-url=" + upstream.baseUrl())
				.run((context) -> {
					assertThat(context.getBean("followWebClient", WebClient.class)
						.get()
						.uri("/old")
						.retrieve()
						.bodyToMono(String.class)
						.block(TIMEOUT)).isEqualTo("moved here");
					assertThat(context.getBean("stayWebClient", WebClient.class)
						.get()
						.uri("/old")
						.exchangeToMono((response) -> Mono.just(response.statusCode().value()))
						.block(TIMEOUT)).isEqualTo(302);
				});
		}
	}

	@Test
	void whenBodyStallsThenReadTimeoutFailsTheCallLongBeforeResponseTimeout() {
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.HTTP11)
			.handler((request, response) -> response.sendString(Flux.concat(Mono.just("first part,"), Mono.never())))
			.start()) {
			HttpPoolTestContexts.core()
				.withPropertyValues("http.pool.clients.stt.base-url=" + upstream.baseUrl(),
						"http.pool.clients.stt.response-timeout=60s", "http.pool.clients.stt.read-timeout=300ms",
						"http.pool.clients.stt.retry.enabled=false")
				.run((context) -> StepVerifier
					.create(context.getBean("sttWebClient", WebClient.class)
						.get()
						.uri("/stall")
						.retrieve()
						.bodyToMono(String.class))
					.expectErrorSatisfies((ex) -> assertThat(ex).hasRootCauseInstanceOf(ReadTimeoutException.class))
					.verify(TIMEOUT));
		}
	}

	@Test
	void whenServerStopsReadingTheUploadThenWriteTimeoutFailsTheCall() {
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.HTTP11)
			.handler((request, response) -> Mono.never())
			.start()) {
			HttpPoolTestContexts.core()
				.withPropertyValues("http.pool.clients.stt.base-url=" + upstream.baseUrl(),
						"http.pool.clients.stt.response-timeout=60s", "http.pool.clients.stt.write-timeout=300ms",
						"http.pool.clients.stt.retry.enabled=false")
				.run((context) -> {
					// 256 MiB, produced lazily: far more than loopback socket buffers
					// hold
					Flux<DataBuffer> upload = Flux.range(0, 4096)
						.map((i) -> DefaultDataBufferFactory.sharedInstance.wrap(new byte[64 * 1024]));
					StepVerifier
						.create(context.getBean("sttWebClient", WebClient.class)
							.post()
							.uri("/upload")
							.body(upload, DataBuffer.class)
							.retrieve()
							.bodyToMono(String.class))
						.expectErrorSatisfies(
								(ex) -> assertThat(ex).hasRootCauseInstanceOf(WriteTimeoutException.class))
						.verify(TIMEOUT);
				});
		}
	}

	@Test
	void whenPingAckTimeoutIsSetThenIdleHttp2ConnectionSurvivesMaxIdleTime() {
		try (TestUpstream withPing = TestUpstream.speaking(HttpProtocol.H2C).start();
				TestUpstream withoutPing = TestUpstream.speaking(HttpProtocol.H2C).start()) {
			HttpPoolTestContexts.core()
				.withPropertyValues("http.pool.clients.ping.base-url=" + withPing.baseUrl(),
						"http.pool.clients.ping.protocol=h2c", "http.pool.clients.ping.max-idle-time=500ms",
						"http.pool.clients.ping.eviction-interval=100ms",
						"http.pool.clients.ping.http2.ping-ack-timeout=2s",
						"http.pool.clients.plain.base-url=" + withoutPing.baseUrl(),
						"http.pool.clients.plain.protocol=h2c", "http.pool.clients.plain.max-idle-time=500ms",
						"http.pool.clients.plain.eviction-interval=100ms",
						"http.pool.clients.plain.http2.ping-ack-timeout=0")
				.run((context) -> {
					WebClient ping = context.getBean("pingWebClient", WebClient.class);
					WebClient plain = context.getBean("plainWebClient", WebClient.class);
					HttpPoolClients clients = context.getBean(HttpPoolClients.class);
					// a GET now and one 4 s later, on each client: past max-idle-time and
					// the
					// first PING's ack timeout (an unanswered PING would have closed the
					// connection by then); a 2 s ack timeout for a busy machine's event
					// loops (with 1 s, at load 23, the connection was closed and another
					// opened)
					Flux.merge(twoGetsApart(ping), twoGetsApart(plain)).blockLast(TIMEOUT);
					assertThat(withPing.connectionsAccepted()).isOne();
					assertThat(clients.get("ping").state().connectionsOpened()).isOne();
					assertThat(withoutPing.connectionsAccepted()).isEqualTo(2);
				});
		}
	}

	private static Flux<String> twoGetsApart(WebClient client) {
		Mono<String> get = client.get().uri("/p").retrieve().bodyToMono(String.class);
		return Flux.concat(get, Mono.delay(Duration.ofSeconds(4)).then(get));
	}

	private static byte[] gzip(String text) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
			gzip.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
		}
		return bytes.toByteArray();
	}

}
