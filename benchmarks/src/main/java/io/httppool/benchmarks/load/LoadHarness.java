package io.httppool.benchmarks.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The end-to-end load harness. Starts nginx (see {@link Nginx}) and the 20 ms upstream
 * ({@link DelayServer}), then runs every client of every scenario in a fresh JVM of its
 * own ({@link LoadRun}, same {@code java} and class path as this one), alternating the
 * order of the clients from one round or cell to the next, reads the connections nginx
 * accepted for each run from {@code stub_status}, and writes {@code results/<date>.json},
 * {@code .md} and {@code .svg} ({@link Report}).
 *
 * <p>
 * Options ({@code --name=value}): {@code duration} and {@code warmup} in seconds (10 and
 * 5), {@code rounds} (3), {@code concurrency} (1,16,128,1024), {@code protocols} (h2,h1),
 * {@code delays} in ms (0,20), {@code clients} (all), {@code upload} and
 * {@code anti-pattern} (true), {@code workers} (nginx worker processes, 1), {@code out}
 * (results directory), {@code note} (conditions, written into the results), and
 * {@code --smoke}: every client for one second at C=16 over h2, results under
 * {@code target/}, exit status 1 unless every client completed requests with no error.
 *
 * @author http-pool team
 */
public final class LoadHarness {

	private final Options options;

	private final Path work;

	private final Results results = new Results();

	private int order;

	private LoadHarness(Options options, Path work) {
		this.options = options;
		this.work = work;
	}

	/**
	 * Run the harness.
	 * @param args the options
	 * @return the process exit status
	 */
	public static int run(String[] args) throws Exception {
		Options options = Options.parse(args);
		Path module = Files.isDirectory(Path.of("benchmarks", "src")) ? Path.of("benchmarks") : Path.of(".");
		Path work = module.resolve("target").resolve("load").toAbsolutePath();
		Files.createDirectories(work.resolve("logs"));
		Path out = (options.out != null) ? Path.of(options.out)
				: module.resolve(options.smoke ? "target/smoke-results" : "results");
		return new LoadHarness(options, work).execute(out, String.join(" ", args));
	}

	private int execute(Path out, String arguments) throws Exception {
		Map<String, String> environment = new LinkedHashMap<>();
		String date = LocalDate.now(ZoneOffset.UTC).toString();
		environment.put("title", "http-pool load run " + date);
		environment.put("started", ZonedDateTime.now(ZoneOffset.UTC).withNano(0).toString());
		environment.put("command", "java -jar benchmarks/target/http-pool-benchmarks.jar load " + arguments);
		environment.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
		environment.put("load average at start", loadAverage());
		environment.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
		environment.put("nginx", version(List.of("/usr/sbin/nginx", "-v")));
		environment.put("h2load", H2load.available() ? version(List.of(H2load.BINARY, "--version")) : "not installed");
		environment.put("nginx workers", Integer.toString(this.options.workers));
		environment.put("per client",
				String.format(Locale.ROOT, "fresh JVM, %.1f s warm-up, %.1f s measured, %d rounds, median round",
						this.options.warmup, this.options.duration, this.options.rounds));
		if (this.options.note != null) {
			environment.put("note", this.options.note);
		}
		boolean passed;
		try (DelayServer delay = new DelayServer(Duration.ofMillis(20));
				Nginx nginx = Nginx.start(this.work.resolve("nginx"), delay.port(), this.options.workers)) {
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				try {
					nginx.close();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}));
			passed = runAll(nginx);
		}
		environment.put("load average at end", loadAverage());
		environment.put("finished", ZonedDateTime.now(ZoneOffset.UTC).withNano(0).toString());
		Report.write(out, date, this.results, environment);
		System.out.println("results: " + out.resolve(date + ".md"));
		if (this.options.smoke) {
			System.out.println(passed ? "load smoke: every client completed requests with 0 errors"
					: "load smoke FAILED: a client completed no request or saw errors");
			return passed ? 0 : 1;
		}
		return 0;
	}

	private boolean runAll(Nginx nginx) throws Exception {
		boolean passed = true;
		for (int delay : this.options.delays) {
			String scenario = "get " + delay + " ms";
			for (Target.Protocol protocol : this.options.protocols) {
				for (int concurrency : this.options.concurrency) {
					Target target = new Target(nginx.baseUrl(protocol), protocol, (delay == 0) ? "/get" : "/delay", 0,
							nginx.certificate(), concurrency);
					passed &= cell(nginx, scenario, target, this.options.clients);
				}
			}
		}
		if (this.options.upload) {
			for (Target.Protocol protocol : this.options.protocols) {
				Target target = new Target(nginx.baseUrl(protocol), protocol, "/upload", 1024 * 1024,
						nginx.certificate(), 16);
				passed &= cell(nginx, "upload 1 MB", target, this.options.clients);
			}
		}
		if (this.options.antiPattern) {
			Target target = new Target(nginx.baseUrl(Target.Protocol.H2), Target.Protocol.H2, "/get", 0,
					nginx.certificate(), 1);
			passed &= cell(nginx, Ratios.ANTI_PATTERN, target,
					List.of(ClientCatalog.NEW_CLIENT_PER_REQUEST, ClientCatalog.STARTER_WEBCLIENT));
		}
		return passed;
	}

	private boolean cell(Nginx nginx, String scenario, Target target, List<String> clients) throws Exception {
		boolean passed = true;
		for (int round = 1; round <= this.options.rounds; round++) {
			List<String> ordered = new ArrayList<>(clients);
			if (this.order++ % 2 == 1) {
				java.util.Collections.reverse(ordered);
			}
			List<RunResult> cellResults = new ArrayList<>();
			if (this.options.smoke) {
				List<String> jvmClients = ordered.stream()
					.filter((client) -> !client.equals(ClientCatalog.H2LOAD))
					.toList();
				cellResults.addAll(children(scenario, target, jvmClients, round, Math.round(this.options.warmup * 1000),
						Math.round(this.options.duration * 1000)));
				if (ordered.contains(ClientCatalog.H2LOAD) && H2load.available()) {
					cellResults.add(measure(nginx, scenario, target, ClientCatalog.H2LOAD, round));
				}
			}
			else {
				for (String client : ordered) {
					if (!client.equals(ClientCatalog.H2LOAD) || H2load.available()) {
						cellResults.add(measure(nginx, scenario, target, client, round));
					}
				}
			}
			for (RunResult result : cellResults) {
				this.results.add(result);
				passed &= result.ok();
				System.out.printf(Locale.ROOT,
						"%-26s %-8s C=%-4d %-24s %10.0f req/s p50 %7.2f p99 %8.2f ms, %d conn, %d errors%s%n", scenario,
						target.protocol().label(), target.concurrency(), result.client(), result.perSecond(),
						result.p50(), result.p99(), result.connections(), result.errors(),
						result.note().isEmpty() ? "" : " (" + result.note() + ")");
				System.out.flush();
			}
		}
		return passed;
	}

	private RunResult measure(Nginx nginx, String scenario, Target target, String client, int round) throws Exception {
		long warmupMillis = Math.round(this.options.warmup * 1000);
		long durationMillis = Math.round(this.options.duration * 1000);
		long acceptsBefore = nginx.accepts();
		RunResult result;
		if (client.equals(ClientCatalog.H2LOAD)) {
			H2load.Measured measured = H2load.run(target, this.work, warmupMillis, durationMillis);
			result = new RunResult(scenario, target.protocol().label(), target.concurrency(), client, round,
					measured.requests(), measured.errors(), measured.seconds(), measured.millis(50),
					measured.millis(99), measured.millis(99.9), 0, -1, -1, measured.note());
		}
		else {
			result = children(scenario, target, List.of(client), round, warmupMillis, durationMillis).get(0);
		}
		// the status request after the run is one more accepted connection
		long connections = nginx.accepts() - acceptsBefore - 1;
		return new RunResult(result.scenario(), result.protocol(), result.concurrency(), result.client(),
				result.round(), result.requests(), result.errors(), result.seconds(), result.p50(), result.p99(),
				result.p999(), connections, result.cpuMicros(), result.allocBytes(), result.note());
	}

	/**
	 * Run clients in one fresh JVM, one after the other: one client per JVM when
	 * measuring, all of them in one JVM for the smoke test (connections are then not told
	 * apart).
	 */
	private List<RunResult> children(String scenario, Target target, List<String> clients, int round, long warmupMillis,
			long durationMillis) throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		// the smoke test checks that requests complete, not how fast: C1 only starts
		// faster
		List<String> jvmOptions = this.options.smoke
				? List.of("-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC") : List.of("-Xms1g", "-Xmx1g");
		String ids = String.join(",", clients);
		List<String> command = LoadRun.command(java, jvmOptions, System.getProperty("java.class.path"), ids, target,
				warmupMillis, durationMillis);
		Path log = this.work.resolve("logs")
			.resolve(String.format(Locale.ROOT, "%s-%s-c%d-%s-%d.log", scenario.replace(' ', '_'),
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

	private static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).trim();
		}
		catch (IOException ex) {
			return "unknown";
		}
	}

	private static String version(List<String> command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			process.waitFor();
			return output.lines().findFirst().orElse("unknown");
		}
		catch (IOException | InterruptedException ex) {
			return "unknown";
		}
	}

	/**
	 * Command-line options.
	 */
	static final class Options {

		boolean smoke;

		double duration = 10;

		double warmup = 5;

		int rounds = 3;

		List<Integer> concurrency = List.of(1, 16, 128, 1024);

		List<Target.Protocol> protocols = List.of(Target.Protocol.H2, Target.Protocol.H1);

		List<Integer> delays = List.of(0, 20);

		List<String> clients = ClientCatalog.ALL;

		boolean upload = true;

		boolean antiPattern = true;

		int workers = 1;

		String out;

		String note;

		static Options parse(String[] args) {
			Options options = new Options();
			List<String> list = Arrays.asList(args);
			if (list.contains("--smoke")) {
				options.smoke = true;
				options.duration = 1;
				options.warmup = 0.3;
				options.rounds = 1;
				options.concurrency = List.of(16);
				options.protocols = List.of(Target.Protocol.H2);
				options.delays = List.of(0);
				options.upload = false;
			}
			for (String arg : args) {
				if (arg.equals("--smoke")) {
					continue;
				}
				if (!arg.startsWith("--") || !arg.contains("=")) {
					throw new IllegalArgumentException("Expected --name=value but was " + arg);
				}
				String name = arg.substring(2, arg.indexOf('='));
				String value = arg.substring(arg.indexOf('=') + 1);
				switch (name) {
					case "duration" -> options.duration = Double.parseDouble(value);
					case "warmup" -> options.warmup = Double.parseDouble(value);
					case "rounds" -> options.rounds = Integer.parseInt(value);
					case "concurrency" -> options.concurrency = integers(value);
					case "delays" -> options.delays = integers(value);
					case "protocols" -> options.protocols = Arrays.stream(value.split(","))
						.map((protocol) -> Target.Protocol.valueOf(protocol.trim().toUpperCase(Locale.ROOT)))
						.toList();
					case "clients" -> options.clients = Arrays.stream(value.split(",")).map(String::trim).toList();
					case "upload" -> options.upload = Boolean.parseBoolean(value);
					case "anti-pattern" -> options.antiPattern = Boolean.parseBoolean(value);
					case "workers" -> options.workers = Integer.parseInt(value);
					case "out" -> options.out = value;
					case "note" -> options.note = value;
					default -> throw new IllegalArgumentException("Unknown option --" + name);
				}
			}
			return options;
		}

		private static List<Integer> integers(String value) {
			return Arrays.stream(value.split(","))
				.map(String::trim)
				.filter((item) -> !item.isEmpty())
				.map(Integer::valueOf)
				.toList();
		}

	}

}
