package io.httppool.resilience;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.management.UnixOperatingSystemMXBean;
import io.httppool.HttpPoolClient;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.internal.PlatformDependent;
import io.httppool.test.LeakDetection;
import io.httppool.test.TestUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import static io.httppool.resilience.ResilienceTesting.key;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A soak with paranoid leak detection: requests that mix 2xx, 4xx and 5xx with bodies
 * read, ignored and cut short ({@code take(1)} on a large streamed body, the caller's own
 * timeouts mid-body and before the response), through the starter's {@code WebClient} and
 * through a plain {@code WebClient} on raw Reactor Netty under the same load. No
 * {@code LEAK:} line, the pool back to 0 active connections, direct memory and file
 * descriptors back to their baseline, and the starter loses no more calls than the plain
 * client.
 *
 * <p>
 * {@code -Dhttp.pool.soak.requests=200000} runs the long variant (docs/reliability.md's
 * reliability table); the suite runs 20,000 per protocol.
 */
class SoakTests {

	private static final int REQUESTS = Integer.getInteger("http.pool.soak.requests", 20_000);

	private static final int CONCURRENCY = 64;

	private static final int LARGE_CHUNK = 16 * 1024;

	private static final int LARGE_CHUNKS = 16;

	private static LeakDetection leaks;

	@BeforeAll
	static void detectLeaksParanoidly() {
		leaks = LeakDetection.paranoid();
	}

	@AfterAll
	static void restoreLeakDetection() {
		leaks.close();
	}

	@ParameterizedTest
	@EnumSource(value = HttpProtocol.class, names = { "HTTP11", "H2C" })
	void underAMixedSoakNothingLeaksAndTheStarterLosesNoMoreCallsThanAPlainWebClient(HttpProtocol protocol) {
		try (TestUpstream upstream = TestUpstream.speaking(protocol).handler(SoakTests::handle).start()) {
			long fdBaseline = openFileDescriptors();
			long directBaseline = usedDirectMemory();
			Result plain = plainWebClient(upstream, protocol);
			Result[] starter = new Result[1];
			ResilienceTesting.runner(upstream.baseUrl())
				.withPropertyValues(key("protocol=" + ((protocol == HttpProtocol.H2C) ? "h2c" : "http1")),
						key("max-connections=" + CONCURRENCY))
				.run((context) -> {
					HttpPoolClient client = ResilienceTesting.client(context);
					starter[0] = soak(client.webClient());
					ResilienceTesting.assertNoActiveConnections(context);
				});
			String report = "soak %s, %,d requests at concurrency %d: plain WebClient %s; http-pool %s"
				.formatted(protocol, REQUESTS, CONCURRENCY, plain, starter[0]);
			System.out.println(report);
			leaks.assertNoLeak();
			assertThat(starter[0].lost()).as(report).isLessThanOrEqualTo(plain.lost());
			assertThat(starter[0].unexpected()).as(report).isEmpty();
			awaitBaseline("open file descriptors", fdBaseline, SoakTests::openFileDescriptors, 4);
			// pooled arenas keep chunks they allocated: the baseline allows a few
			awaitBaseline("direct memory", directBaseline, SoakTests::usedDirectMemory, 64L * 1024 * 1024);
		}
	}

	private static Result plainWebClient(TestUpstream upstream, HttpProtocol protocol) {
		LoopResources loops = LoopResources.create("plain-soak", 2, true);
		ConnectionProvider provider = ConnectionProvider.create("plain-soak", CONCURRENCY);
		try {
			HttpClient http = HttpClient.create(provider).runOn(loops).protocol(protocol);
			WebClient webClient = WebClient.builder()
				.baseUrl(upstream.baseUrl())
				.clientConnector(new ReactorClientHttpConnector(http))
				.build();
			return soak(webClient);
		}
		finally {
			provider.disposeLater().block(Duration.ofSeconds(10));
			loops.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).block(Duration.ofSeconds(10));
		}
	}

	private static Result soak(WebClient webClient) {
		AtomicInteger lost = new AtomicInteger();
		List<String> unexpected = new java.util.concurrent.CopyOnWriteArrayList<>();
		Flux.range(0, REQUESTS).flatMap((i) -> call(webClient, i % 16).onErrorResume((ex) -> {
			lost.incrementAndGet();
			if (unexpected.size() < 5) {
				unexpected.add(ex.toString());
			}
			return Mono.empty();
		}), CONCURRENCY).blockLast(Duration.ofMinutes(10));
		return new Result(lost.get(), unexpected);
	}

	/**
	 * One call; an error it emits is a lost call. What the caller asked for (its own
	 * timeout, an error status it expects) is not.
	 */
	private static Mono<?> call(WebClient webClient, int behaviour) {
		return switch (behaviour) {
			case 6 -> webClient.get().uri("/ok").retrieve().toBodilessEntity();
			case 7 -> webClient.get()
				.uri("/client-error")
				.exchangeToMono((response) -> Mono.just(response.statusCode().value()))
				.filter((status) -> status == 404)
				.switchIfEmpty(Mono.error(new IllegalStateException("expected 404")));
			case 8 -> expectStatus(webClient.get().uri("/client-error").retrieve().bodyToMono(String.class), 404);
			case 9 -> expectStatus(webClient.get().uri("/server-error").retrieve().bodyToMono(String.class), 500);
			case 10 -> webClient.get()
				.uri("/large")
				.retrieve()
				.bodyToFlux(DataBuffer.class)
				.take(1)
				.doOnNext(DataBufferUtils::release)
				.then();
			case 11 -> webClient.get()
				.uri("/large")
				.retrieve()
				.bodyToMono(String.class)
				.filter((body) -> body.length() == LARGE_CHUNK * LARGE_CHUNKS)
				.switchIfEmpty(Mono.error(new IllegalStateException("large body incomplete")));
			case 12 -> callerTimeout(webClient.get().uri("/slow-body").retrieve().bodyToMono(String.class), 150);
			case 13 -> callerTimeout(webClient.get().uri("/slow").retrieve().bodyToMono(String.class), 100);
			case 14 ->
				webClient.get().uri("/large").exchangeToMono((response) -> Mono.just(response.statusCode().value()));
			default -> webClient.get().uri("/ok").retrieve().bodyToMono(String.class);
		};
	}

	private static Mono<?> expectStatus(Mono<String> call, int status) {
		return call.then(Mono.error(new IllegalStateException("expected " + status)))
			.onErrorResume((ex) -> ex instanceof WebClientResponseException response
					&& response.getStatusCode().value() == status, (ex) -> Mono.empty());
	}

	private static Mono<?> callerTimeout(Mono<String> call, long millis) {
		return call.timeout(Duration.ofMillis(millis))
			.onErrorResume(TimeoutException.class::isInstance, (ex) -> Mono.empty());
	}

	// the server's bodies are unpooled heap buffers, which leak detection does not
	// track: it watches the clients (Reactor Netty's server leaks a buffer it creates for
	// a stream the client already cancelled)
	private static Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
		return switch (request.path()) {
			case "client-error" -> response.status(404).send(body(Mono.just("{\"error\":\"not found\"}")));
			case "server-error" -> response.status(500).send(body(Mono.just("{\"error\":\"boom\"}")));
			case "large" ->
				response.send(Flux.range(0, LARGE_CHUNKS).map((i) -> Unpooled.wrappedBuffer(new byte[LARGE_CHUNK])));
			case "slow" -> response.send(body(Mono.delay(Duration.ofMillis(400)).thenReturn("late")));
			case "slow-body" -> response.send(body(Flux.interval(Duration.ofMillis(100)).take(5).map((i) -> "chunk")));
			default -> response.send(body(Mono.just("ok")));
		};
	}

	private static Publisher<ByteBuf> body(Publisher<String> text) {
		return Flux.from(text).map((chunk) -> Unpooled.wrappedBuffer(chunk.getBytes(StandardCharsets.UTF_8)));
	}

	private static void awaitBaseline(String what, long baseline, java.util.function.LongSupplier current,
			long tolerance) {
		org.awaitility.Awaitility.await(what + " back to its baseline of " + baseline)
			.atMost(Duration.ofSeconds(20))
			.until(() -> current.getAsLong() <= baseline + tolerance);
	}

	private static long openFileDescriptors() {
		return ((UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getOpenFileDescriptorCount();
	}

	private static long usedDirectMemory() {
		long netty = PlatformDependent.usedDirectMemory();
		if (netty >= 0) {
			return netty;
		}
		return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)
			.stream()
			.filter((pool) -> "direct".equals(pool.getName()))
			.mapToLong(BufferPoolMXBean::getMemoryUsed)
			.sum();
	}

	/**
	 * What a soak lost.
	 *
	 * @param lost calls that failed although the caller expected an answer
	 * @param unexpected the first few failures
	 */
	record Result(int lost, List<String> unexpected) {

		@Override
		public String toString() {
			return this.lost + " lost" + (this.unexpected.isEmpty() ? "" : " " + this.unexpected);
		}

	}

}
