package io.httppool.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.Http2AllocationStrategy;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Requests per second and bytes allocated per request of GETs over one h2c connection
 * with a fixed number of requests in flight, for raw Reactor Netty, Spring's plain
 * {@code WebClient} and http-pool's {@code WebClient} (metrics and resilience on, then
 * off). The upstream is a Reactor Netty h2c server in the same JVM on a loopback port, so
 * the numbers compare clients with each other, not with another machine.
 *
 * <p>
 * Run: {@code mvn -B -q -pl benchmarks -am package -DskipTests && java -jar
 * benchmarks/target/http-pool-benchmarks.jar throughput [seconds] [inFlight] [rounds]
 * [name filter]}.
 *
 * @author http-pool team
 */
public final class ThroughputBenchmark {

	private ThroughputBenchmark() {
	}

	public static void main(String[] args) {
		int seconds = (args.length > 0) ? Integer.parseInt(args[0]) : 10;
		int inFlight = (args.length > 1) ? Integer.parseInt(args[1]) : 128;
		int rounds = (args.length > 2) ? Integer.parseInt(args[2]) : 3;
		String only = (args.length > 3) ? args[3] : "";
		// the server's own event loops: closing a Spring context disposes Reactor Netty's
		// global ones
		LoopResources serverLoops = LoopResources.create("bench-server", 1, true);
		DisposableServer server = okServer(serverLoops);
		String baseUrl = "http://127.0.0.1:" + server.port();
		System.out.printf(Locale.ROOT,
				"GET %s/items over h2c, %d in flight, %d s per run, best of %d rounds, %d cores%n", baseUrl, inFlight,
				seconds, rounds, Runtime.getRuntime().availableProcessors());
		List<Variant> variants = new ArrayList<>();
		variants.add(new Variant("Reactor Netty HttpClient (raw)", () -> rawReactorNetty(baseUrl)));
		variants.add(new Variant("Spring WebClient (plain)", () -> plainWebClient(baseUrl)));
		variants
			.add(new Variant("http-pool: defaults (Spring observation on)", () -> httpPool(baseUrl, true, true, true)));
		variants.add(new Variant("http-pool: metrics + resilience", () -> httpPool(baseUrl, true, true, false)));
		variants.add(new Variant("http-pool: resilience only", () -> httpPool(baseUrl, true, false, false)));
		variants.add(new Variant("http-pool: metrics only", () -> httpPool(baseUrl, false, true, false)));
		variants.add(new Variant("http-pool: core only", () -> httpPool(baseUrl, false, false, false)));
		variants.removeIf((variant) -> !variant.name.contains(only));
		for (Variant variant : variants) {
			Client client = variant.factory.get();
			try {
				run(client, inFlight, Duration.ofSeconds(Math.max(3, seconds / 2)));
				double best = 0;
				double bytes = 0;
				for (int round = 0; round < rounds; round++) {
					Result result = run(client, inFlight, Duration.ofSeconds(seconds));
					if (result.perSecond > best) {
						best = result.perSecond;
						bytes = result.bytesPerRequest;
					}
				}
				System.out.printf(Locale.ROOT, "%-48s %,10.0f req/s %,10.0f B allocated/req (client + server)%n",
						variant.name, best, bytes);
			}
			finally {
				client.close();
			}
		}
		server.disposeNow();
		System.exit(0);
	}

	private static Result run(Client client, int inFlight, Duration duration) {
		LongAdder done = new LongAdder();
		AtomicBoolean stop = new AtomicBoolean();
		long bytesBefore = allocatedBytes();
		long start = System.nanoTime();
		Mono<Void> load = Flux.range(0, Integer.MAX_VALUE)
			.takeWhile((i) -> !stop.get())
			.flatMap((i) -> client.call().doOnNext((body) -> done.increment()), inFlight)
			.then();
		Mono.when(load, Mono.delay(duration).doOnNext((tick) -> stop.set(true))).block();
		long elapsed = System.nanoTime() - start;
		long requests = done.sum();
		return new Result(requests * 1e9 / elapsed, (double) (allocatedBytes() - bytesBefore) / Math.max(1, requests));
	}

	private static long allocatedBytes() {
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		long total = 0;
		for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
			total += Math.max(0, bytes);
		}
		return total;
	}

	private static ConnectionProvider singleConnectionPool(String name) {
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

	private static Client rawReactorNetty(String baseUrl) {
		ConnectionProvider provider = singleConnectionPool("raw");
		HttpClient client = HttpClient.create(provider).protocol(HttpProtocol.H2C).baseUrl(baseUrl);
		return new Client(() -> client.get().uri("/items").responseContent().aggregate().asString(), provider::dispose);
	}

	private static Client plainWebClient(String baseUrl) {
		ConnectionProvider provider = singleConnectionPool("plain");
		WebClient client = WebClient.builder()
			.clientConnector(new ReactorClientHttpConnector(HttpClient.create(provider).protocol(HttpProtocol.H2C)))
			.baseUrl(baseUrl)
			.build();
		return new Client(() -> client.get().uri("/items").retrieve().bodyToMono(String.class), provider::dispose);
	}

	private static Client httpPool(String baseUrl, boolean resilience, boolean metrics, boolean observation) {
		ConfigurableApplicationContext context = StarterContext
			.start(List.of("http.pool.clients.bench.base-url=" + baseUrl, "http.pool.clients.bench.protocol=h2c",
					"http.pool.clients.bench.max-connections=1",
					"http.pool.clients.bench.http2.max-concurrent-streams=1000",
					"http.pool.clients.bench.pending-acquire-max-count=100000",
					"http.pool.clients.bench.retry.enabled=" + resilience,
					"http.pool.clients.bench.circuit-breaker.enabled=" + resilience,
					"management.metrics.enable.http.pool=" + metrics,
					"management.observations.enable.http.client.requests=" + observation));
		WebClient client = context.getBean("benchWebClient", WebClient.class);
		return new Client(() -> client.get().uri("/items").retrieve().bodyToMono(String.class), context::close);
	}

	private record Variant(String name, Supplier<Client> factory) {

	}

	private record Client(Supplier<Mono<String>> calls, Runnable closer) {

		Mono<String> call() {
			return this.calls.get();
		}

		void close() {
			this.closer.run();
		}

	}

	private record Result(double perSecond, double bytesPerRequest) {

	}

	/**
	 * An h2c server on loopback that answers every request with {@code ok} at once.
	 * @param loops the server's event loops
	 * @return the bound server
	 */
	public static DisposableServer okServer(LoopResources loops) {
		return HttpServer.create()
			.runOn(loops)
			.host("127.0.0.1")
			.port(0)
			.protocol(HttpProtocol.H2C)
			.http2Settings((settings) -> settings.maxConcurrentStreams(1000))
			.handle((request, response) -> response.header("content-type", "text/plain").sendString(Mono.just("ok")))
			.bindNow();
	}

}
