package io.httppool.benchmarks;

import java.nio.file.Path;
import java.util.Arrays;

import io.httppool.benchmarks.jmh.LayerCostBenchmark;
import io.httppool.benchmarks.load.LoadHarness;
import io.httppool.benchmarks.load.Report;

/**
 * Entry point of {@code java -jar benchmarks/target/http-pool-benchmarks.jar}.
 * <ul>
 * <li>{@code jmh [JMH options]}: the per-layer cost benchmarks, with JMH's own command
 * line ({@code -prof gc}, {@code -f}, {@code -i}, ...);</li>
 * <li>{@code load [options]}: the end-to-end load harness against nginx (see
 * {@link LoadHarness});</li>
 * <li>{@code smoke}: both, a second or so each, failing when a client completes no
 * request or sees an error; for CI, no timing checked;</li>
 * <li>{@code throughput [seconds] [inFlight] [rounds] [filter]}: the in-JVM h2c
 * throughput comparison;</li>
 * <li>{@code event-loops [seconds] [rounds] [block-ms] [think-ms] [background]
 * [concurrency]}: dedicated against shared event loops next to a web server handler that
 * blocks its loop (see {@link EventLoopsBenchmark});</li>
 * <li>{@code report results/<date>.json}: the Markdown and SVG of a run written again
 * from its JSON.</li>
 * </ul>
 *
 * @author http-pool team
 */
public final class Benchmarks {

	private Benchmarks() {
	}

	public static void main(String[] args) throws Exception {
		String command = (args.length > 0) ? args[0] : "";
		String[] rest = (args.length > 0) ? Arrays.copyOfRange(args, 1, args.length) : args;
		switch (command) {
			case "jmh" -> org.openjdk.jmh.Main.main(rest);
			case "load" -> System.exit(LoadHarness.run(rest));
			case "smoke" -> {
				long start = System.nanoTime();
				int status = LoadHarness.run(concat(new String[] { "--smoke" }, rest));
				long load = System.nanoTime();
				if (status == 0) {
					status = LayerCostBenchmark.smoke();
				}
				long end = System.nanoTime();
				System.out.printf("smoke %s in %.1f s (load harness %.1f s, JMH %.1f s)%n",
						(status == 0) ? "passed" : "FAILED", (end - start) / 1e9, (load - start) / 1e9,
						(end - load) / 1e9);
				System.exit(status);
			}
			case "throughput" -> ThroughputBenchmark.main(rest);
			case "event-loops" -> EventLoopsBenchmark.main(rest);
			case "report" -> Report.rewrite(Path.of(rest[0]));
			default -> {
				System.err.println(
						"usage: java -jar http-pool-benchmarks.jar jmh|load|smoke|throughput|event-loops|report [options]");
				System.exit(2);
			}
		}
	}

	private static String[] concat(String[] first, String[] second) {
		String[] all = Arrays.copyOf(first, first.length + second.length);
		System.arraycopy(second, 0, all, first.length, second.length);
		return all;
	}

}
