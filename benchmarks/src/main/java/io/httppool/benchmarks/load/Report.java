package io.httppool.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes one run as {@code <date>.json} (every round), {@code <date>.md} (the targets, a
 * table per scenario and protocol, and every median cell in detail) and
 * {@code <date>.svg} ({@link Chart}).
 *
 * @author http-pool team
 */
public final class Report {

	private Report() {
	}

	static void write(Path directory, String name, Results results, Map<String, String> environment)
			throws IOException {
		Files.createDirectories(directory);
		Files.writeString(directory.resolve(name + ".json"), json(results, environment));
		Files.writeString(directory.resolve(name + ".md"), markdown(name, results, environment));
		Files.writeString(directory.resolve(name + ".svg"), Chart.svg(results, chartTitle(environment)));
	}

	/**
	 * Write the Markdown and the SVG of a run again from its JSON, after a change to the
	 * report or the chart.
	 * @param json the run's {@code <date>.json}
	 */
	public static void rewrite(Path json) throws IOException {
		JsonNode root = JsonMapper.builder().build().readTree(Files.readString(json));
		Map<String, String> environment = new LinkedHashMap<>();
		root.get("environment")
			.properties()
			.forEach((entry) -> environment.put(entry.getKey(), entry.getValue().asString()));
		Results results = new Results();
		for (JsonNode run : root.get("runs")) {
			results.add(new RunResult(run.get("scenario").asString(), run.get("protocol").asString(),
					run.get("concurrency").asInt(), run.get("client").asString(), run.get("round").asInt(),
					run.get("requests").asLong(), run.get("errors").asLong(), run.get("seconds").asDouble(),
					run.get("p50Ms").asDouble(), run.get("p99Ms").asDouble(), run.get("p999Ms").asDouble(),
					run.get("connections").asLong(), orUnknown(run.get("cpuMicrosPerRequest")),
					orUnknown(run.get("allocatedBytesPerRequest")), run.get("note").asString()));
		}
		String name = json.getFileName().toString().replaceFirst("\\.json$", "");
		// next to the JSON file
		Files.writeString(json.resolveSibling(name + ".md"), markdown(name, results, environment));
		Files.writeString(json.resolveSibling(name + ".svg"), Chart.svg(results, chartTitle(environment)));
	}

	private static String chartTitle(Map<String, String> environment) {
		String title = environment.getOrDefault("title", "http-pool load run");
		String note = environment.get("note");
		if (note == null) {
			return title;
		}
		return title + " (" + ((note.length() > 80) ? note.substring(0, 80) + "…" : note) + ")";
	}

	private static double orUnknown(JsonNode node) {
		return (node == null || node.isNull()) ? -1 : node.asDouble();
	}

	static String markdown(String name, Results results, Map<String, String> environment) {
		StringBuilder md = new StringBuilder();
		md.append("# Load run ").append(name).append("\n\n");
		environment.forEach((key, value) -> md.append("- ").append(key).append(": ").append(value).append('\n'));
		md.append("\n![req/s and p99 per client and concurrency](").append(name).append(".svg)\n\n");
		md.append("## Targets\n\n| ratio | where | value | target | verdict |\n|---|---|---:|---|---|\n");
		for (Ratios.Ratio ratio : Ratios.of(results)) {
			md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", ratio.name(), ratio.where(),
					ratio.valueText(), ratio.targetText(), ratio.verdict()));
		}
		for (String scenario : results.scenarios()) {
			for (String protocol : results.protocols(scenario)) {
				List<Integer> concurrencies = results.concurrencies(scenario, protocol);
				md.append("\n## ").append(scenario).append(", ").append(protocol).append("\n\n| client |");
				concurrencies
					.forEach((c) -> md.append(" C=").append(c).append(" req/s | C=").append(c).append(" p99 ms |"));
				md.append("\n|---|");
				concurrencies.forEach((c) -> md.append("---:|---:|"));
				md.append('\n');
				for (String client : results.clients(scenario, protocol)) {
					md.append("| ").append(ClientCatalog.label(client)).append(" |");
					for (int c : concurrencies) {
						RunResult result = results.median(scenario, protocol, c, client);
						if (result == null) {
							md.append(" | |");
						}
						else {
							md.append(String.format(Locale.ROOT, " %,.0f%s | %.2f |", result.perSecond(),
									result.ok() ? "" : " (" + result.errors() + " errors)", result.p99()));
						}
					}
					md.append('\n');
				}
			}
		}
		md.append("\n## Every cell (median round)\n\n");
		md.append("| scenario | protocol | C | client | req/s | p50 ms | p99 ms | p99.9 ms | errors | connections "
				+ "| CPU µs/req | alloc B/req |\n|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
		for (String scenario : results.scenarios()) {
			for (String protocol : results.protocols(scenario)) {
				for (int c : results.concurrencies(scenario, protocol)) {
					for (String client : results.clients(scenario, protocol)) {
						RunResult r = results.median(scenario, protocol, c, client);
						if (r != null) {
							md.append(String.format(Locale.ROOT,
									"| %s | %s | %d | %s | %,.0f | %.2f | %.2f | %.2f | %d | %s | %s | %s |%n",
									scenario, protocol, c, client, r.perSecond(), r.p50(), r.p99(), r.p999(),
									r.errors(), (r.connections() < 0) ? "n/a" : Long.toString(r.connections()),
									(r.cpuMicros() < 0) ? "n/a" : String.format(Locale.ROOT, "%.1f", r.cpuMicros()),
									(r.allocBytes() < 0) ? "n/a"
											: String.format(Locale.ROOT, "%,.0f", r.allocBytes())));
						}
					}
				}
			}
		}
		List<RunResult> failed = results.all().stream().filter((r) -> !r.note().isEmpty()).toList();
		if (!failed.isEmpty()) {
			md.append("\n## Errors\n\n");
			failed.forEach((r) -> md.append(String.format(Locale.ROOT, "- %s, %s, C=%d, %s, round %d: %s%n",
					r.scenario(), r.protocol(), r.concurrency(), r.client(), r.round(), r.note())));
		}
		return md.toString();
	}

	static String json(Results results, Map<String, String> environment) {
		StringBuilder json = new StringBuilder("{\n  \"environment\": {");
		String separator = "\n";
		for (Map.Entry<String, String> entry : environment.entrySet()) {
			json.append(separator)
				.append("    ")
				.append(quote(entry.getKey()))
				.append(": ")
				.append(quote(entry.getValue()));
			separator = ",\n";
		}
		json.append("\n  },\n  \"targets\": [");
		separator = "\n";
		for (Ratios.Ratio ratio : Ratios.of(results)) {
			json.append(separator)
				.append(String.format(Locale.ROOT,
						"    {\"name\": %s, \"where\": %s, \"value\": %s, \"target\": %s, \"verdict\": %s}",
						quote(ratio.name()), quote(ratio.where()), number(ratio.value()), quote(ratio.targetText()),
						quote(ratio.verdict().replace("*", ""))));
			separator = ",\n";
		}
		json.append("\n  ],\n  \"runs\": [");
		separator = "\n";
		for (RunResult r : results.all()) {
			json.append(separator)
				.append(String.format(Locale.ROOT,
						"    {\"scenario\": %s, \"protocol\": %s, \"concurrency\": %d, \"client\": %s, \"round\": %d, "
								+ "\"requests\": %d, \"errors\": %d, \"seconds\": %.3f, \"requestsPerSecond\": %.1f, "
								+ "\"p50Ms\": %.3f, \"p99Ms\": %.3f, \"p999Ms\": %.3f, \"connections\": %d, "
								+ "\"cpuMicrosPerRequest\": %s, \"allocatedBytesPerRequest\": %s, \"note\": %s}",
						quote(r.scenario()), quote(r.protocol()), r.concurrency(), quote(r.client()), r.round(),
						r.requests(), r.errors(), r.seconds(), r.perSecond(), r.p50(), r.p99(), r.p999(),
						r.connections(), number(r.cpuMicros()), number(r.allocBytes()), quote(r.note())));
			separator = ",\n";
		}
		return json.append("\n  ]\n}\n").toString();
	}

	private static String number(double value) {
		return (Double.isNaN(value) || value < 0 && value == -1) ? "null" : String.format(Locale.ROOT, "%.2f", value);
	}

	static String quote(String value) {
		StringBuilder quoted = new StringBuilder("\"");
		for (char ch : value.toCharArray()) {
			switch (ch) {
				case '"' -> quoted.append("\\\"");
				case '\\' -> quoted.append("\\\\");
				case '\n' -> quoted.append("\\n");
				case '\r' -> quoted.append("\\r");
				case '\t' -> quoted.append("\\t");
				default -> {
					if (ch < 0x20) {
						quoted.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
					}
					else {
						quoted.append(ch);
					}
				}
			}
		}
		return quoted.append('"').toString();
	}

}
