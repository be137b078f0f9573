package io.httppool.benchmarks.load;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.jspecify.annotations.Nullable;

/**
 * One client in a JVM of its own: warms up, then keeps {@code concurrency} requests in
 * flight for the measured time, and prints one {@code RESULT} line with the count, the
 * errors, HdrHistogram percentiles, and the CPU time and bytes allocated by this JVM per
 * request.
 *
 * <p>
 * Arguments: {@code client baseUrl h2|h1 path bodyBytes certificate concurrency
 * warmupMillis durationMillis}.
 *
 * @author http-pool team
 */
public final class LoadRun {

	private final LoadClient client;

	private final int concurrency;

	private final Recorder latencies = new Recorder(3);

	private final LongAdder completed = new LongAdder();

	private final LongAdder errors = new LongAdder();

	private final AtomicReference<String> firstError = new AtomicReference<>();

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final CountDownLatch stopped;

	private LoadRun(LoadClient client, int concurrency) {
		this.client = client;
		this.concurrency = concurrency;
		this.stopped = new CountDownLatch(concurrency);
	}

	public static void main(String[] args) throws Exception {
		Target target = new Target(args[1], Target.Protocol.valueOf(args[2].toUpperCase(Locale.ROOT)), args[3],
				Integer.parseInt(args[4]), Path.of(args[5]), Integer.parseInt(args[6]));
		long warmupMillis = Long.parseLong(args[7]);
		long durationMillis = Long.parseLong(args[8]);
		// one client per JVM for measurements; the smoke test runs them all in one
		for (String id : args[0].split(",")) {
			try {
				measure(id, target, warmupMillis, durationMillis);
			}
			catch (Exception ex) {
				System.out.printf(Locale.ROOT, "RESULT client=%s requests=0 errors=1 seconds=0 p50=0 p99=0 p999=0 "
						+ "max=0 cpuUs=-1 allocBytes=-1%n", id);
				System.out.println("ERROR " + id + " " + ex.toString().replace('\n', ' '));
			}
			System.out.flush();
		}
		System.exit(0);
	}

	private static void measure(String id, Target target, long warmupMillis, long durationMillis) throws Exception {
		try (LoadClient client = ClientCatalog.create(id, target)) {
			LoadRun run = new LoadRun(client, target.concurrency());
			// one request first: the connection exists before the load starts (the JDK's
			// client and OkHttp otherwise open an HTTP/2 connection per concurrent first
			// request)
			prime(client);
			run.start();
			Thread.sleep(warmupMillis);
			long requestsBefore = run.completed.sum();
			long errorsBefore = run.errors.sum();
			run.latencies.getIntervalHistogram();
			long cpuBefore = processCpuNanos();
			long bytesBefore = allocatedBytes();
			long start = System.nanoTime();
			Thread.sleep(durationMillis);
			long requests = run.completed.sum() - requestsBefore;
			long errorCount = run.errors.sum() - errorsBefore;
			double seconds = (System.nanoTime() - start) / 1e9;
			long cpu = processCpuNanos() - cpuBefore;
			long bytes = allocatedBytes() - bytesBefore;
			Histogram histogram = run.latencies.getIntervalHistogram();
			run.stop();
			long perRequest = Math.max(1, requests);
			System.out.printf(Locale.ROOT,
					"RESULT client=%s requests=%d errors=%d seconds=%.3f p50=%.3f p99=%.3f p999=%.3f max=%.3f cpuUs=%.2f "
							+ "allocBytes=%.0f%n",
					id, requests, errorCount, seconds, millis(histogram, 50), millis(histogram, 99),
					millis(histogram, 99.9), histogram.getMaxValue() / 1000.0, cpu / 1000.0 / perRequest,
					(double) bytes / perRequest);
			if (run.firstError.get() != null) {
				System.out.println("ERROR " + id + " " + run.firstError.get().replace('\n', ' '));
			}
		}
	}

	private static void prime(LoadClient client) throws Exception {
		if (client.blocking()) {
			client.call();
			return;
		}
		java.util.concurrent.CompletableFuture<Integer> first = new java.util.concurrent.CompletableFuture<>();
		client.send(new LoadClient.Callback() {

			@Override
			public void completed(int status) {
				first.complete(status);
			}

			@Override
			public void failed(Throwable error) {
				first.completeExceptionally(error);
			}

		});
		first.get(30, TimeUnit.SECONDS);
	}

	private static double millis(Histogram histogram, double percentile) {
		return histogram.getValueAtPercentile(percentile) / 1000.0;
	}

	private void start() {
		if (this.client.blocking()) {
			for (int i = 0; i < this.concurrency; i++) {
				Thread thread = new Thread(this::loop, "load-" + i);
				thread.setDaemon(true);
				thread.start();
			}
		}
		else {
			for (int i = 0; i < this.concurrency; i++) {
				next();
			}
		}
	}

	private void stop() throws InterruptedException {
		this.running.set(false);
		// requests in flight finish or time out; their results are no longer counted
		this.stopped.await(10, TimeUnit.SECONDS);
	}

	private void loop() {
		while (this.running.get()) {
			long start = System.nanoTime();
			try {
				record(start, this.client.call(), null);
			}
			catch (Exception ex) {
				record(start, 0, ex);
			}
		}
		this.stopped.countDown();
	}

	private void next() {
		if (!this.running.get()) {
			this.stopped.countDown();
			return;
		}
		long start = System.nanoTime();
		try {
			this.client.send(new LoadClient.Callback() {

				@Override
				public void completed(int status) {
					record(start, status, null);
					next();
				}

				@Override
				public void failed(Throwable error) {
					record(start, 0, error);
					next();
				}

			});
		}
		catch (RuntimeException ex) {
			record(start, 0, ex);
			next();
		}
	}

	private void record(long start, int status, @Nullable Throwable error) {
		this.latencies.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
		if (error == null && status >= 200 && status < 300) {
			this.completed.increment();
			return;
		}
		this.errors.increment();
		this.firstError.compareAndSet(null, (error != null) ? error.toString() : "status " + status);
	}

	static long processCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	static long allocatedBytes() {
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		long total = 0;
		for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
			total += Math.max(0, bytes);
		}
		return total;
	}

	static List<String> command(String java, List<String> jvmOptions, String classPath, String ids, Target target,
			long warmupMillis, long durationMillis) {
		List<String> command = new ArrayList<>();
		command.add(java);
		command.addAll(jvmOptions);
		command.addAll(List.of("-cp", classPath, LoadRun.class.getName(), ids, target.baseUrl(),
				target.protocol().name().toLowerCase(Locale.ROOT), target.path(), Integer.toString(target.bodyBytes()),
				target.certificate().toString(), Integer.toString(target.concurrency()), Long.toString(warmupMillis),
				Long.toString(durationMillis)));
		return command;
	}

}
