package io.httppool.benchmarks.jmh;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.httppool.benchmarks.StarterContext;
import io.httppool.benchmarks.StarterContext.Layers;
import io.httppool.benchmarks.ThroughputBenchmark;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.Http2AllocationStrategy;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientMetricsRecorder;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Cost per request of each http-pool layer: GETs over one h2c connection to a Reactor
 * Netty server in the same JVM, for raw Reactor Netty (also with Reactor Netty's metrics
 * hooks on and a recorder that records nothing), Spring's plain {@code WebClient} on the
 * same kind of pool, and the starter's {@code WebClient} with its defaults, with each
 * layer switched off in turn, with all of them off, and with each layer on alone
 * ({@code starter-only-*}). {@code get} is one request at a time (latency, thread hops
 * included); {@code get128} is 128 requests in flight on the one connection, reported per
 * request. Run with {@code -prof gc} for bytes per request ({@code gc.alloc.rate.norm},
 * the in-JVM server's share included, the same for every variant).
 *
 * <p>
 * The retry budget has no switch of its own: {@code starter-no-retry} takes it off with
 * retry.
 *
 * @author http-pool team
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = { "-Xms512m", "-Xmx512m" })
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class LayerCostBenchmark {

	private static final int IN_FLIGHT = 128;

	private static final String[] SMOKE_VARIANTS = { "raw-reactor-netty", "plain-webclient", "starter-defaults",
			"starter-bare" };

	@Param({ "raw-reactor-netty", "raw-reactor-netty-recorder", "plain-webclient", "starter-defaults",
			"starter-no-retry", "starter-no-breaker", "starter-no-deadline", "starter-no-metrics",
			"starter-no-observation", "starter-bare", "starter-only-retry", "starter-only-breaker",
			"starter-only-deadline", "starter-only-metrics", "starter-only-observation" })
	public String variant = "starter-defaults";

	private @Nullable LoopResources serverLoops;

	private @Nullable DisposableServer server;

	private @Nullable Runnable closer;

	private Supplier<Mono<String>> call = Mono::empty;

	@Setup(Level.Trial)
	public void setUp() {
		this.serverLoops = LoopResources.create("jmh-server", 1, true);
		this.server = ThroughputBenchmark.okServer(this.serverLoops);
		String baseUrl = "http://127.0.0.1:" + this.server.port();
		switch (this.variant) {
			case "raw-reactor-netty", "raw-reactor-netty-recorder" -> {
				ConnectionProvider provider = singleConnection("raw");
				HttpClient raw = HttpClient.create(provider).protocol(HttpProtocol.H2C).baseUrl(baseUrl);
				// what Reactor Netty's own metrics hooks cost, with a recorder that
				// records
				// nothing: the alternative http-pool's request timer does not take
				HttpClient client = this.variant.equals("raw-reactor-netty") ? raw
						: raw.metrics(true, () -> NoopRecorder.INSTANCE, (uri) -> "/items");
				this.call = () -> client.get().uri("/items").responseSingle((response, body) -> {
					if (response.status().code() != 200) {
						return Mono.error(new IllegalStateException("status " + response.status()));
					}
					return body.asString();
				});
				this.closer = provider::dispose;
			}
			case "plain-webclient" -> {
				ConnectionProvider provider = singleConnection("plain");
				WebClient client = WebClient.builder()
					.clientConnector(
							new ReactorClientHttpConnector(HttpClient.create(provider).protocol(HttpProtocol.H2C)))
					.baseUrl(baseUrl)
					.build();
				this.call = () -> client.get().uri("/items").retrieve().bodyToMono(String.class);
				this.closer = provider::dispose;
			}
			default -> starter(baseUrl, layers(this.variant));
		}
		// the connection is open before the first measured call
		this.call.get().block(Duration.ofSeconds(10));
	}

	private void starter(String baseUrl, Layers layers) {
		String prefix = "http.pool.clients." + StarterContext.CLIENT + ".";
		List<String> properties = new ArrayList<>(
				List.of(prefix + "base-url=" + baseUrl, prefix + "protocol=h2c", prefix + "max-connections=1",
						prefix + "http2.max-concurrent-streams=1000", prefix + "pending-acquire-max-count=100000"));
		properties.addAll(layers.properties());
		ConfigurableApplicationContext context = StarterContext.start(properties);
		WebClient client = context.getBean(StarterContext.CLIENT + "WebClient", WebClient.class);
		this.call = () -> client.get().uri("/items").retrieve().bodyToMono(String.class);
		this.closer = context::close;
	}

	static Layers layers(String variant) {
		Layers on = Layers.DEFAULTS;
		Layers off = Layers.BARE;
		return switch (variant) {
			case "starter-defaults" -> on;
			case "starter-bare" -> Layers.BARE;
			case "starter-no-retry" -> new Layers(false, on.breaker(), on.deadline(), on.metrics(), on.observation());
			case "starter-no-breaker" -> new Layers(on.retry(), false, on.deadline(), on.metrics(), on.observation());
			case "starter-no-deadline" -> new Layers(on.retry(), on.breaker(), false, on.metrics(), on.observation());
			case "starter-no-metrics" -> new Layers(on.retry(), on.breaker(), on.deadline(), false, on.observation());
			case "starter-no-observation" -> new Layers(on.retry(), on.breaker(), on.deadline(), on.metrics(), false);
			case "starter-only-retry" ->
				new Layers(true, off.breaker(), off.deadline(), off.metrics(), off.observation());
			case "starter-only-breaker" ->
				new Layers(off.retry(), true, off.deadline(), off.metrics(), off.observation());
			case "starter-only-deadline" ->
				new Layers(off.retry(), off.breaker(), true, off.metrics(), off.observation());
			case "starter-only-metrics" ->
				new Layers(off.retry(), off.breaker(), off.deadline(), true, off.observation());
			case "starter-only-observation" ->
				new Layers(off.retry(), off.breaker(), off.deadline(), off.metrics(), true);
			default -> throw new IllegalArgumentException("Unknown variant " + variant);
		};
	}

	/**
	 * A Reactor Netty metrics recorder that records nothing.
	 */
	private static final class NoopRecorder implements HttpClientMetricsRecorder {

		static final NoopRecorder INSTANCE = new NoopRecorder();

		@Override
		public void recordDataReceivedTime(SocketAddress remoteAddress, String uri, String method, String status,
				Duration time) {
		}

		@Override
		public void recordDataSentTime(SocketAddress remoteAddress, String uri, String method, Duration time) {
		}

		@Override
		public void recordResponseTime(SocketAddress remoteAddress, String uri, String method, String status,
				Duration time) {
		}

		@Override
		public void recordDataReceived(SocketAddress remoteAddress, String uri, long bytes) {
		}

		@Override
		public void recordDataSent(SocketAddress remoteAddress, String uri, long bytes) {
		}

		@Override
		public void incrementErrorsCount(SocketAddress remoteAddress, String uri) {
		}

		@Override
		public void recordDataReceived(SocketAddress remoteAddress, long bytes) {
		}

		@Override
		public void recordDataSent(SocketAddress remoteAddress, long bytes) {
		}

		@Override
		public void incrementErrorsCount(SocketAddress remoteAddress) {
		}

		@Override
		public void recordTlsHandshakeTime(SocketAddress remoteAddress, Duration time, String status) {
		}

		@Override
		public void recordConnectTime(SocketAddress remoteAddress, Duration time, String status) {
		}

		@Override
		public void recordResolveAddressTime(SocketAddress remoteAddress, Duration time, String status) {
		}

	}

	private static ConnectionProvider singleConnection(String name) {
		return ConnectionProvider.builder(name)
			.maxConnections(1)
			.pendingAcquireMaxCount(100_000)
			.allocationStrategy(Http2AllocationStrategy.builder()
				.maxConnections(1)
				.minConnections(1)
				.maxConcurrentStreams(1000)
				.build())
			.build();
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		if (this.closer != null) {
			this.closer.run();
		}
		if (this.server != null) {
			this.server.disposeNow();
		}
		if (this.serverLoops != null) {
			this.serverLoops.disposeLater().block(Duration.ofSeconds(10));
		}
	}

	@Benchmark
	public @Nullable String get() {
		return this.call.get().block(Duration.ofSeconds(10));
	}

	@Benchmark
	@OperationsPerInvocation(IN_FLIGHT)
	public @Nullable Long get128() {
		return Flux.range(0, IN_FLIGHT)
			.flatMap((i) -> this.call.get(), IN_FLIGHT)
			.count()
			.block(Duration.ofSeconds(10));
	}

	/**
	 * Variants whose setup differs (raw, plain, the starter with every layer on and with
	 * every layer off), {@code get128} only: each variant and benchmark is a fork of its
	 * own, and a fork that starts a Spring context costs seconds on a busy machine. One
	 * fork started with C1 only, no warm-up, one short iteration. Fails on any error;
	 * checks no timing.
	 * @return 0 when every variant ran, 1 otherwise
	 */
	public static int smoke() {
		Options options = new OptionsBuilder().include(LayerCostBenchmark.class.getName() + "\\.get128$")
			.forks(1)
			.jvmArgsAppend("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
			.param("variant", SMOKE_VARIANTS)
			.warmupIterations(0)
			.measurementIterations(1)
			.measurementTime(TimeValue.milliseconds(300))
			.shouldFailOnError(true)
			.build();
		try {
			Collection<RunResult> results = new Runner(options).run();
			int expected = SMOKE_VARIANTS.length;
			boolean complete = results.size() == expected
					&& results.stream().allMatch((result) -> result.getPrimaryResult().getScore() > 0);
			System.out.printf("JMH smoke: %d of %d variants ran%n", results.size(), expected);
			return complete ? 0 : 1;
		}
		catch (RunnerException ex) {
			ex.printStackTrace();
			return 1;
		}
	}

}
