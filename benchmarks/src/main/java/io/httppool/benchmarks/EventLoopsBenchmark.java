package io.httppool.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Recorder;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * {@code http.pool.event-loops=dedicated} against {@code shared} when the application's
 * own Reactor Netty web server has a handler that blocks its event loop (a blocking call
 * in a WebFlux handler, the classic mistake). The application's server runs on Reactor
 * Netty's global loops, which Spring Boot's {@code ReactorResourceFactory} hands to a
 * WebFlux server by default; {@code background} callers on loops of their own keep its
 * slow handler busy ({@code block} ms on the event loop, then {@code think} ms pause).
 * Meanwhile the starter's {@code WebClient} keeps {@code concurrency} GETs in flight over
 * one h2c connection to a fast upstream on its own loop, and the latency of each is
 * recorded. Each round runs both modes with and without the slow handler busy, in
 * alternating order, one fresh application context each.
 *
 * <p>
 * {@code java -jar http-pool-benchmarks.jar event-loops [seconds=5] [rounds=3]
 * [block-ms=20] [think-ms=20] [background=4] [concurrency=16]}
 *
 * @author http-pool team
 */
final class EventLoopsBenchmark {

	private EventLoopsBenchmark() {
	}

	static void main(String[] args) throws Exception {
		double seconds = arg(args, 0, 5);
		int rounds = (int) arg(args, 1, 3);
		long blockMillis = (long) arg(args, 2, 20);
		long thinkMillis = (long) arg(args, 3, 20);
		int background = (int) arg(args, 4, 4);
		int concurrency = (int) arg(args, 5, 16);
		System.out.printf(Locale.ROOT,
				"event loops: %d cores, %d global Reactor Netty loops; slow handler blocks %d ms then its %d callers "
						+ "pause %d ms; the starter keeps %d GETs in flight over h2c; %.0f s per cell, %d rounds%n",
				Runtime.getRuntime().availableProcessors(), LoopResources.DEFAULT_IO_WORKER_COUNT, blockMillis,
				background, thinkMillis, concurrency, seconds, rounds);
		LoopResources upstreamLoops = LoopResources.create("upstream", 1, true);
		LoopResources driverLoops = LoopResources.create("background-callers", 1, true);
		DisposableServer upstream = ThroughputBenchmark.okServer(upstreamLoops);
		ConnectionProvider driverPool = ConnectionProvider.create("background-callers", background);
		HttpClient driver = HttpClient.create(driverPool).runOn(driverLoops);
		List<String> cells = new ArrayList<>();
		try {
			for (int round = 1; round <= rounds; round++) {
				List<String> modes = (round % 2 == 1) ? List.of("dedicated", "shared") : List.of("shared", "dedicated");
				for (boolean busy : List.of(true, false)) {
					for (String mode : modes) {
						String line = cell(mode, busy, upstream.port(), driver, background, blockMillis, thinkMillis,
								concurrency, seconds, round);
						System.out.println(line);
						cells.add(line);
					}
				}
			}
		}
		finally {
			upstream.disposeNow();
			driverPool.dispose();
			driverLoops.dispose();
			upstreamLoops.dispose();
		}
	}

	private static String cell(String mode, boolean busy, int upstreamPort, HttpClient driver, int background,
			long blockMillis, long thinkMillis, int concurrency, double seconds, int round) throws Exception {
		String prefix = "http.pool.clients." + StarterContext.CLIENT + ".";
		ConfigurableApplicationContext context = StarterContext
			.start(List.of("http.pool.event-loops=" + mode, prefix + "base-url=http://127.0.0.1:" + upstreamPort,
					prefix + "protocol=h2c", prefix + "max-connections=1", prefix + "http2.max-concurrent-streams=1024",
					prefix + "pending-acquire-max-count=100000"));
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicLong slowCalls = new AtomicLong();
		CountDownLatch callersDone = new CountDownLatch(busy ? background : 0);
		// the application's own server, on the loops Boot hands a WebFlux server: those
		// of the context's ReactorResourceFactory, which closes them with the context
		DisposableServer application = HttpServer.create()
			.runOn(context.getBeanProvider(ReactorResourceFactory.class)
				.getIfAvailable(ReactorResourceFactory::new)
				.getLoopResources())
			.host("127.0.0.1")
			.port(0)
			.handle((request, response) -> {
				block(blockMillis);
				return response.sendString(Mono.just("slow"));
			})
			.bindNow();
		try {
			WebClient client = context.getBean(StarterContext.CLIENT + "WebClient", WebClient.class);
			// warm-up: the connection exists, the code paths are compiled
			run(client, concurrency, Duration.ofSeconds(2), new Recorder(3));
			if (busy) {
				for (int i = 0; i < background; i++) {
					slowCaller(driver.baseUrl("http://127.0.0.1:" + application.port()), thinkMillis, running,
							slowCalls, callersDone);
				}
			}
			Recorder recorder = new Recorder(3);
			long calls = run(client, concurrency, Duration.ofMillis((long) (seconds * 1000)), recorder);
			org.HdrHistogram.Histogram histogram = recorder.getIntervalHistogram();
			return String.format(Locale.ROOT,
					"round %d  %-9s slow handler %-4s %8.0f req/s  p50 %7.2f  p99 %7.2f  p99.9 %7.2f  max %7.2f ms"
							+ "  (slow handler served %d)",
					round, mode, busy ? "busy" : "idle", calls / seconds, millis(histogram, 50), millis(histogram, 99),
					millis(histogram, 99.9), histogram.getMaxValue() / 1e6, slowCalls.get());
		}
		finally {
			running.set(false);
			callersDone.await(30, TimeUnit.SECONDS);
			application.disposeNow();
			context.close();
		}
	}

	private static void slowCaller(HttpClient driver, long thinkMillis, AtomicBoolean running, AtomicLong calls,
			CountDownLatch done) {
		driver.get()
			.uri("/slow")
			.responseContent()
			.aggregate()
			.then(Mono.delay(Duration.ofMillis(thinkMillis)))
			.doOnSuccess((ignored) -> calls.incrementAndGet())
			.repeat(running::get)
			.doFinally((signal) -> done.countDown())
			.subscribe(null, (error) -> System.err.println("slow caller: " + error));
	}

	/**
	 * Keep {@code concurrency} calls in flight for the given time; return how many
	 * completed.
	 */
	private static long run(WebClient client, int concurrency, Duration duration, Recorder recorder)
			throws InterruptedException {
		long end = System.nanoTime() + duration.toNanos();
		AtomicLong completed = new AtomicLong();
		CountDownLatch done = new CountDownLatch(concurrency);
		for (int i = 0; i < concurrency; i++) {
			loop(client, end, recorder, completed, done);
		}
		if (!done.await(duration.toSeconds() + 60, TimeUnit.SECONDS)) {
			throw new IllegalStateException("calls did not finish within a minute after the run");
		}
		return completed.get();
	}

	private static void loop(WebClient client, long end, Recorder recorder, AtomicLong completed, CountDownLatch done) {
		long start = System.nanoTime();
		if (start >= end) {
			done.countDown();
			return;
		}
		client.get().uri("/get").retrieve().bodyToMono(String.class).subscribe((body) -> {
			recorder.recordValue(System.nanoTime() - start);
			completed.incrementAndGet();
		}, (error) -> {
			System.err.println("call failed: " + error);
			loop(client, end, recorder, completed, done);
		}, () -> loop(client, end, recorder, completed, done));
	}

	// what the slow handler does wrong: a blocking call on its event loop
	private static void block(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static double millis(org.HdrHistogram.Histogram histogram, double percentile) {
		return histogram.getValueAtPercentile(percentile) / 1e6;
	}

	private static double arg(String[] args, int index, double fallback) {
		return (args.length > index) ? Double.parseDouble(args[index]) : fallback;
	}

}
