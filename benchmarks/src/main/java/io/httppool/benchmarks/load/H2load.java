package io.httppool.benchmarks.load;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.HdrHistogram.Histogram;

/**
 * {@code h2load} (Debian's {@code nghttp2-client}) as the ceiling: the same request at
 * the same concurrency, one connection with {@code concurrency} streams for HTTP/2;
 * {@code min(concurrency, 20)} connections for HTTP/1.1, where h2load cannot queue more
 * requests than it has connections. Latencies come from its per-request log file.
 *
 * @author http-pool team
 */
final class H2load {

	static final String BINARY = "/usr/bin/h2load";

	private static final Pattern STATUS_2XX = Pattern.compile("status codes: (\\d+) 2xx");

	private static final Pattern DONE = Pattern.compile("requests: \\d+ total, \\d+ started, (\\d+) done");

	private H2load() {
	}

	static boolean available() {
		return Files.isExecutable(Path.of(BINARY));
	}

	static Measured run(Target target, Path workDirectory, long warmupMillis, long durationMillis) throws Exception {
		Path log = workDirectory.resolve("h2load.log");
		Files.deleteIfExists(log);
		boolean h2 = target.protocol() == Target.Protocol.H2;
		int connections = h2 ? 1 : Math.min(target.concurrency(), target.protocol().connections());
		List<String> command = new ArrayList<>(List.of(BINARY, "-t", "1", "-c", Integer.toString(connections), "-m",
				Integer.toString(h2 ? target.concurrency() : 1), "-D", durationMillis + "ms",
				"--warm-up-time=" + Math.max(1, warmupMillis) + "ms", "--log-file=" + log));
		if (!h2) {
			command.add("--h1");
		}
		if (target.post()) {
			Path body = workDirectory.resolve("upload-" + target.bodyBytes() + ".bin");
			if (!Files.exists(body)) {
				Files.write(body, target.body());
			}
			command.add("-d");
			command.add(body.toString());
		}
		command.add(target.uri().toString());
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		process.waitFor();
		long done = find(DONE, output);
		long ok = find(STATUS_2XX, output);
		Histogram histogram = new Histogram(3);
		if (Files.exists(log)) {
			try (BufferedReader reader = Files.newBufferedReader(log)) {
				String line;
				while ((line = reader.readLine()) != null) {
					String[] columns = line.split("\t");
					if (columns.length >= 3) {
						histogram.recordValue(Math.max(1, Long.parseLong(columns[2].trim())));
					}
				}
			}
		}
		String note = (done < 0 || ok < 0) ? "unparsed h2load output: " + output.replace('\n', ' ') : "";
		return new Measured(Math.max(0, ok), Math.max(0, done - ok), durationMillis / 1000.0, histogram, note);
	}

	private static long find(Pattern pattern, String output) {
		Matcher matcher = pattern.matcher(output);
		return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
	}

	/**
	 * What h2load reported.
	 */
	record Measured(long requests, long errors, double seconds, Histogram histogram, String note) {

		double millis(double percentile) {
			return this.histogram.getValueAtPercentile(percentile) / 1000.0;
		}

		@Override
		public String toString() {
			return String.format(Locale.ROOT, "%d requests, %d errors", this.requests, this.errors);
		}

	}

}
