package io.httppool.benchmarks.load;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * Options of {@code load} ({@code --name=value}); see {@link LoadHarness}.
 *
 * @author http-pool team
 */
final class LoadOptions {

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

	@Nullable String out;

	@Nullable String note;

	List<String> jvmOptions = List.of();

	static LoadOptions parse(String[] args) {
		LoadOptions options = new LoadOptions();
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
				case "jvm-options" -> options.jvmOptions = Arrays.stream(value.trim().split("\\s+"))
					.filter((option) -> !option.isEmpty())
					.toList();
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
