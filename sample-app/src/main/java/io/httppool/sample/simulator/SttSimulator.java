package io.httppool.sample.simulator;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;

/**
 * An OpenAI-compatible speech-to-text server on a loopback port chosen by the OS. It
 * speaks HTTP/2 over clear text (h2c, prior knowledge) and HTTP/1.1, counts the TCP
 * connections it accepts and the protocol of every request, and shows them at
 * {@code GET /simulator/stats}.
 *
 * @author http-pool team
 */
public final class SttSimulator implements AutoCloseable {

	/** Distinct idempotency keys remembered, enough for tests and demos. */
	private static final int MAX_KEYS = 100_000;

	private final DisposableServer server;

	private final AtomicInteger connectionsAccepted = new AtomicInteger();

	private final Set<Channel> openConnections = ConcurrentHashMap.newKeySet();

	private final Map<String, AtomicInteger> requestsByProtocol = new ConcurrentHashMap<>();

	private final Map<Integer, AtomicInteger> responsesByStatus = new ConcurrentHashMap<>();

	private final Set<String> idempotencyKeys = ConcurrentHashMap.newKeySet();

	private final AtomicInteger inFlight = new AtomicInteger();

	private final AtomicInteger maxInFlight = new AtomicInteger();

	private final SpeechEngine engine;

	private final Scheduler engineThreads;

	private SttSimulator(Settings settings, SpeechEngine engine, int engineThreads) {
		this.engine = engine;
		// blocking recognition runs here, never on the server's event loop
		this.engineThreads = Schedulers.newBoundedElastic(engineThreads, Integer.MAX_VALUE, "speech-engine");
		TranscriptionsEndpoint endpoint = new TranscriptionsEndpoint(settings, engine, this.engineThreads,
				this::countResponse);
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.protocol(HttpProtocol.H2C, HttpProtocol.HTTP11)
			.doOnChannelInit((observer, channel, address) -> {
				this.connectionsAccepted.incrementAndGet();
				this.openConnections.add(channel);
				channel.closeFuture().addListener((future) -> this.openConnections.remove(channel));
			})
			.route((routes) -> routes.post("/v1/audio/transcriptions", (request, response) -> {
				count(this.requestsByProtocol, request.protocol());
				String idempotencyKey = request.requestHeaders().get("Idempotency-Key");
				if (idempotencyKey != null && this.idempotencyKeys.size() < MAX_KEYS) {
					this.idempotencyKeys.add(idempotencyKey);
				}
				this.maxInFlight.accumulateAndGet(this.inFlight.incrementAndGet(), Math::max);
				return endpoint.handle(request, response).doFinally((signal) -> this.inFlight.decrementAndGet());
			})
				.get("/simulator/stats",
						(request, response) -> response.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
							.sendString(Mono.fromSupplier(() -> OpenAiJson.write(stats())))))
			.bindNow(Duration.ofSeconds(10));
	}

	/**
	 * Start a simulator with the simulated engine, which describes the sound instead of
	 * recognising speech.
	 * @param settings how it behaves
	 * @return the running simulator
	 */
	public static SttSimulator start(Settings settings) {
		return new SttSimulator(settings, new SimulatedTranscriber(), Runtime.getRuntime().availableProcessors());
	}

	/**
	 * Start a simulator with the given engine.
	 * @param settings how it behaves
	 * @param engine what turns audio into text, closed with the simulator
	 * @param engineThreads requests transcribed at once, the others wait their turn
	 * @return the running simulator
	 */
	public static SttSimulator start(Settings settings, SpeechEngine engine, int engineThreads) {
		return new SttSimulator(settings, engine, engineThreads);
	}

	/**
	 * Name of the engine, as every answer's {@code model} says.
	 * @return the name
	 */
	public String model() {
		return this.engine.model();
	}

	/**
	 * Base URL to configure a client with, such as {@code http://127.0.0.1:41234}.
	 * @return the base URL
	 */
	public String baseUrl() {
		return "http://127.0.0.1:" + this.server.port();
	}

	/**
	 * What the simulator saw so far.
	 * @return the counters
	 */
	public Stats stats() {
		return new Stats(this.connectionsAccepted.get(), this.openConnections.size(), this.maxInFlight.get(),
				this.idempotencyKeys.size(), snapshot(this.requestsByProtocol), snapshot(this.responsesByStatus));
	}

	@Override
	public void close() {
		try {
			this.server.disposeNow(Duration.ofSeconds(5));
		}
		finally {
			this.engineThreads.dispose();
			this.engine.close();
		}
	}

	private void countResponse(int status) {
		count(this.responsesByStatus, status);
	}

	private static <K> void count(Map<K, AtomicInteger> counters, K key) {
		counters.computeIfAbsent(key, (k) -> new AtomicInteger()).incrementAndGet();
	}

	private static <K> Map<K, Integer> snapshot(Map<K, AtomicInteger> counters) {
		Map<K, Integer> result = new TreeMap<>();
		counters.forEach((key, count) -> result.put(key, count.get()));
		return result;
	}

	/**
	 * How the simulator behaves.
	 *
	 * @param realTimeFactor processing time per second of audio
	 * @param errorRate share of requests answered with 503
	 * @param throttleRate share of requests answered with 429 and {@code Retry-After}
	 * @param retryAfter delay announced by throttled answers
	 * @param apiKey the only API key accepted, or {@code null} to accept any bearer token
	 */
	public record Settings(double realTimeFactor, double errorRate, double throttleRate, Duration retryAfter,
			@Nullable String apiKey) {

		public Settings {
			check("real-time-factor", realTimeFactor, 0, 100);
			check("error-rate", errorRate, 0, 1);
			check("throttle-rate", throttleRate, 0, 1);
			check("error-rate + throttle-rate", errorRate + throttleRate, 0, 1);
			if (retryAfter.isNegative()) {
				throw new IllegalArgumentException(
						"sample.upstream.retry-after must not be negative but was " + retryAfter);
			}
		}

		private static void check(String key, double value, double min, double max) {
			if (!(value >= min && value <= max)) {
				throw new IllegalArgumentException(
						"sample.upstream." + key + " must be between " + min + " and " + max + " but was " + value);
			}
		}

	}

	/**
	 * Counters of a simulator.
	 *
	 * @param connectionsAccepted TCP connections accepted since start
	 * @param connectionsOpen TCP connections open now
	 * @param maxConcurrentRequests most transcription requests in progress at once
	 * @param idempotencyKeys distinct {@code Idempotency-Key} headers received (a retry
	 * repeats its request's key)
	 * @param requestsByProtocol transcription requests per protocol ({@code HTTP/2.0},
	 * {@code HTTP/1.1})
	 * @param responsesByStatus transcription responses per status code
	 */
	public record Stats(int connectionsAccepted, int connectionsOpen, int maxConcurrentRequests, int idempotencyKeys,
			Map<String, Integer> requestsByProtocol, Map<Integer, Integer> responsesByStatus) {

		/**
		 * Number of transcription requests received.
		 * @return the count
		 */
		public int requests() {
			return this.requestsByProtocol.values().stream().mapToInt(Integer::intValue).sum();
		}

	}

}
