package io.httppool.benchmarks.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@link LoadRun} in a child JVM started with the same {@code java} and class path as
 * the harness, its output kept in {@code target/load/logs/}, and its {@code RESULT} lines
 * read back.
 *
 * @author http-pool team
 */
final class ClientProcess {

	private ClientProcess() {
	}

	/**
	 * Run clients in one fresh JVM, one after the other: one client per JVM when
	 * measuring, all of them in one JVM for the smoke test (connections are then not told
	 * apart, and are reported as unknown).
	 */
	static List<RunResult> run(Path logs, boolean smoke, List<String> extraJvmOptions, String scenario, Target target,
			List<String> clients, int round, long warmupMillis, long durationMillis) throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		// the smoke test checks that requests complete, not how fast: C1 only starts
		// faster
		List<String> jvmOptions = new ArrayList<>(smoke
				? List.of("-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC") : List.of("-Xms1g", "-Xmx1g"));
		// --jvm-options, last so that they win: system properties reach Reactor Netty
		// (-Dreactor.netty.native=false) and the starter (-Dhttp.pool.defaults...)
		jvmOptions.addAll(extraJvmOptions);
		String ids = String.join(",", clients);
		List<String> command = LoadRun.command(java, jvmOptions, System.getProperty("java.class.path"), ids, target,
				warmupMillis, durationMillis);
		Path log = logs.resolve(String.format(Locale.ROOT, "%s-%s-c%d-%s-%d.log", scenario.replace(' ', '_'),
				target.protocol().name().toLowerCase(Locale.ROOT), target.concurrency(),
				(clients.size() == 1) ? clients.get(0) : "all", round));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		long timeout = clients.size() * (warmupMillis + durationMillis + 60_000L);
		if (!process.waitFor(timeout, TimeUnit.MILLISECONDS)) {
			process.destroyForcibly();
			process.waitFor();
		}
		String output = Files.readString(log);
		Map<String, Map<String, String>> values = new LinkedHashMap<>();
		Map<String, String> errors = new HashMap<>();
		for (String line : output.split("\n")) {
			if (line.startsWith("RESULT ")) {
				Map<String, String> pairs = new HashMap<>();
				for (String pair : line.substring(7).trim().split(" ")) {
					int equals = pair.indexOf('=');
					pairs.put(pair.substring(0, equals), pair.substring(equals + 1));
				}
				values.put(pairs.get("client"), pairs);
			}
			else if (line.startsWith("ERROR ")) {
				String[] parts = line.substring(6).split(" ", 2);
				errors.put(parts[0], (parts.length > 1) ? parts[1].trim() : "");
			}
		}
		List<RunResult> results = new ArrayList<>();
		for (String client : clients) {
			Map<String, String> pairs = values.get(client);
			if (pairs == null) {
				results.add(new RunResult(scenario, target.protocol().label(), target.concurrency(), client, round, 0,
						1, 0, 0, 0, 0, -1, -1, -1,
						"no result (exit " + process.exitValue() + "): " + tail(output) + " see " + log));
				continue;
			}
			results.add(new RunResult(scenario, target.protocol().label(), target.concurrency(), client, round,
					Long.parseLong(pairs.get("requests")), Long.parseLong(pairs.get("errors")),
					Double.parseDouble(pairs.get("seconds")), Double.parseDouble(pairs.get("p50")),
					Double.parseDouble(pairs.get("p99")), Double.parseDouble(pairs.get("p999")), -1,
					Double.parseDouble(pairs.get("cpuUs")), Double.parseDouble(pairs.get("allocBytes")),
					errors.getOrDefault(client, "")));
		}
		return results;
	}

	private static String tail(String text) {
		String cause = text.lines()
			.filter((line) -> line.contains("Exception") || line.startsWith("Description") || line.contains("Error:"))
			.findFirst()
			.orElse(null);
		if (cause != null) {
			return (cause.length() > 400) ? cause.substring(0, 400) : cause;
		}
		String flat = text.replace('\n', ' ');
		return (flat.length() > 300) ? flat.substring(flat.length() - 300) : flat;
	}

}
