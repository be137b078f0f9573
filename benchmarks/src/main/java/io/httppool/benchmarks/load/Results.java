package io.httppool.benchmarks.load;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Every round of every client in one run, and the median round per cell.
 *
 * @author http-pool team
 */
final class Results {

	private final List<RunResult> all = new ArrayList<>();

	void add(RunResult result) {
		this.all.add(result);
	}

	List<RunResult> all() {
		return this.all;
	}

	/**
	 * Round with the median requests per second of one client in one cell.
	 */
	@Nullable RunResult median(String scenario, String protocol, int concurrency, String client) {
		List<RunResult> rounds = this.all.stream()
			.filter((result) -> result.scenario().equals(scenario) && result.protocol().equals(protocol)
					&& result.concurrency() == concurrency && result.client().equals(client))
			.sorted(Comparator.comparingDouble(RunResult::perSecond))
			.toList();
		return rounds.isEmpty() ? null : rounds.get(rounds.size() / 2);
	}

	Set<String> scenarios() {
		Set<String> scenarios = new LinkedHashSet<>();
		this.all.forEach((result) -> scenarios.add(result.scenario()));
		return scenarios;
	}

	Set<String> protocols(String scenario) {
		Set<String> protocols = new LinkedHashSet<>();
		this.all.stream()
			.filter((result) -> result.scenario().equals(scenario))
			.forEach((result) -> protocols.add(result.protocol()));
		return protocols;
	}

	List<Integer> concurrencies(String scenario, String protocol) {
		return this.all.stream()
			.filter((result) -> result.scenario().equals(scenario) && result.protocol().equals(protocol))
			.map(RunResult::concurrency)
			.distinct()
			.sorted()
			.toList();
	}

	List<String> clients(String scenario, String protocol) {
		return this.all.stream()
			.filter((result) -> result.scenario().equals(scenario) && result.protocol().equals(protocol))
			.map(RunResult::client)
			.distinct()
			.sorted(Comparator.comparingInt(Results::order))
			.toList();
	}

	private static int order(String client) {
		int index = ClientCatalog.ALL.indexOf(client);
		return (index >= 0) ? index : ClientCatalog.ALL.size();
	}

}
