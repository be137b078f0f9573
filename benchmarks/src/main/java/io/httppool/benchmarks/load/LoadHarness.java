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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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

	private final LoadOptions options;

	private final Path work;

	private final Results results = new Results();

	private int order;

	private LoadHarness(LoadOptions options, Path work) {
		this.options = options;
		this.work = work;
	}

	/**
	 * Run the harness.
	 * @param args the options
	 * @return the process exit status
	 */
	public static int run(String[] args) throws Exception {
		LoadOptions options = LoadOptions.parse(args);
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
		if (!this.options.jvmOptions.isEmpty()) {
			environment.put("client JVM options", String.join(" ", this.options.jvmOptions));
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
				cellResults.addAll(ClientProcess.run(this.work.resolve("logs"), true, this.options.jvmOptions, scenario,
						target, jvmClients, round, Math.round(this.options.warmup * 1000),
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
			result = ClientProcess
				.run(this.work.resolve("logs"), this.options.smoke, this.options.jvmOptions, scenario, target,
						List.of(client), round, warmupMillis, durationMillis)
				.get(0);
		}
		// the status request after the run is one more accepted connection
		long connections = nginx.accepts() - acceptsBefore - 1;
		return new RunResult(result.scenario(), result.protocol(), result.concurrency(), result.client(),
				result.round(), result.requests(), result.errors(), result.seconds(), result.p50(), result.p99(),
				result.p999(), connections, result.cpuMicros(), result.allocBytes(), result.note());
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

}
