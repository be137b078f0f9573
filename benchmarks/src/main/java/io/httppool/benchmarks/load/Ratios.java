package io.httppool.benchmarks.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The targets, computed from one run's results: each with its value, its target,
 * and whether it was met. A ratio without data says so instead of disappearing.
 *
 * @author http-pool team
 */
final class Ratios {

	static final String MAIN = "get 0 ms";

	static final String ANTI_PATTERN = "new connection per request";

	private Ratios() {
	}

	static List<Ratio> of(Results results) {
		List<Ratio> ratios = new ArrayList<>();
		for (int c : new int[] { 16, 128 }) {
			ratios.add(ratio(results, "starter WebClient / plain WebClient, req/s", c, ClientCatalog.STARTER_WEBCLIENT,
					"webclient", RunResult::perSecond, 0.95, true));
		}
		for (int c : new int[] { 16, 128 }) {
			ratios.add(ratio(results, "starter WebClient / raw Reactor Netty, req/s", c,
					ClientCatalog.STARTER_WEBCLIENT, "reactor-netty", RunResult::perSecond, 1.0, true));
		}
		for (int c : results.concurrencies(MAIN, "h2")) {
			ratios.add(ratio(results, "starter RestClient / starter WebClient, req/s", c, "starter-restclient",
					ClientCatalog.STARTER_WEBCLIENT, RunResult::perSecond, 0.9, true));
		}
		RunResult pooled = results.median(ANTI_PATTERN, "h2", 1, ClientCatalog.STARTER_WEBCLIENT);
		RunResult fresh = results.median(ANTI_PATTERN, "h2", 1, ClientCatalog.NEW_CLIENT_PER_REQUEST);
		ratios.add(new Ratio("pooled starter / new client per request, sequential, req/s", "C=1",
				(pooled != null && fresh != null && fresh.perSecond() > 0) ? pooled.perSecond() / fresh.perSecond()
						: Double.NaN,
				">= 20", 20, true));
		for (int c : new int[] { 16, 128 }) {
			RunResult starter = results.median(MAIN, "h2", c, ClientCatalog.STARTER_WEBCLIENT);
			RunResult plain = results.median(MAIN, "h2", c, "webclient");
			double difference = (starter != null && plain != null && starter.allocBytes() >= 0
					&& plain.allocBytes() >= 0) ? starter.allocBytes() - plain.allocBytes() : Double.NaN;
			ratios.add(new Ratio("allocation per request, starter − plain WebClient, bytes", "C=" + c, difference,
					"<= 1024", 1024, false));
		}
		long h2Rows = results.all()
			.stream()
			.filter((result) -> result.protocol().equals("h2")
					&& !result.client().equals(ClientCatalog.NEW_CLIENT_PER_REQUEST))
			.count();
		long bad = results.all()
			.stream()
			.filter((result) -> result.protocol().equals("h2")
					&& !result.client().equals(ClientCatalog.NEW_CLIENT_PER_REQUEST))
			.filter((result) -> result.errors() != 0 || (result.connections() >= 0 && result.connections() != 1))
			.count();
		ratios.add(new Ratio("h2 rows with errors or more than one connection", h2Rows + " rows", bad, "0", 0, false));
		return ratios;
	}

	private static Ratio ratio(Results results, String name, int concurrency, String numerator, String denominator,
			ToDoubleFunction<RunResult> value, double target, boolean higherIsBetter) {
		RunResult top = results.median(MAIN, "h2", concurrency, numerator);
		RunResult bottom = results.median(MAIN, "h2", concurrency, denominator);
		double ratio = (top != null && bottom != null && value.applyAsDouble(bottom) > 0)
				? value.applyAsDouble(top) / value.applyAsDouble(bottom) : Double.NaN;
		return new Ratio(name, "C=" + concurrency, ratio, (higherIsBetter ? ">= " : "<= ") + target, target,
				higherIsBetter);
	}

	/**
	 * One target.
	 */
	record Ratio(String name, String where, double value, String targetText, double target, boolean higherIsBetter) {

		String verdict() {
			if (Double.isNaN(this.value)) {
				return "no data";
			}
			boolean met = this.higherIsBetter ? this.value >= this.target : this.value <= this.target;
			return met ? "met" : "**missed**";
		}

		String valueText() {
			if (Double.isNaN(this.value)) {
				return "n/a";
			}
			return (Math.abs(this.value) >= 100 || this.value == Math.rint(this.value))
					? String.format(Locale.ROOT, "%.0f", this.value) : String.format(Locale.ROOT, "%.2f", this.value);
		}

	}

}
