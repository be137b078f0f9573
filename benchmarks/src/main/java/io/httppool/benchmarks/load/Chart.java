package io.httppool.benchmarks.load;

import java.util.List;
import java.util.Locale;

/**
 * An SVG written by hand, no plotting tool needed: for the {@code get 0 ms} scenario and
 * each protocol, requests per second per client grouped by concurrency, and p99 latency,
 * both on logarithmic axes (h2load's ceiling is a hundred times the slowest client).
 *
 * @author http-pool team
 */
final class Chart {

	private static final String[] COLORS = { "#1f77b4", "#aec7e8", "#ff7f0e", "#d62728", "#ff9896", "#2ca02c",
			"#98df8a", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf" };

	private static final int PANEL_WIDTH = 900;

	private static final int PANEL_HEIGHT = 260;

	private static final int LEFT = 70;

	private static final int LEGEND_WIDTH = 330;

	private Chart() {
	}

	static String svg(Results results, String title) {
		String scenario = results.scenarios().contains(Ratios.MAIN) ? Ratios.MAIN
				: results.scenarios().stream().findFirst().orElse(Ratios.MAIN);
		List<String> protocols = List.copyOf(results.protocols(scenario));
		int panels = Math.max(1, protocols.size() * 2);
		int height = 40 + panels * (PANEL_HEIGHT + 50);
		StringBuilder svg = new StringBuilder();
		svg.append(String.format(Locale.ROOT,
				"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">%n",
				PANEL_WIDTH + LEGEND_WIDTH, height));
		svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
		svg.append(text(10, 22, 14, escape(title + " — " + scenario)));
		int top = 50;
		for (String protocol : protocols) {
			panel(svg, results, scenario, protocol, top, false);
			top += PANEL_HEIGHT + 50;
			panel(svg, results, scenario, protocol, top, true);
			top += PANEL_HEIGHT + 50;
		}
		return svg.append("</svg>\n").toString();
	}

	private static void panel(StringBuilder svg, Results results, String scenario, String protocol, int top,
			boolean latency) {
		List<Integer> concurrencies = results.concurrencies(scenario, protocol);
		List<String> clients = results.clients(scenario, protocol);
		double max = 0;
		double min = Double.MAX_VALUE;
		for (int c : concurrencies) {
			for (String client : clients) {
				RunResult r = results.median(scenario, protocol, c, client);
				if (r != null) {
					double value = latency ? r.p99() : r.perSecond();
					max = Math.max(max, value);
					if (value > 0) {
						min = Math.min(min, value);
					}
				}
			}
		}
		int plotWidth = PANEL_WIDTH - LEFT - 20;
		int bottom = top + PANEL_HEIGHT;
		svg.append(text(LEFT, top - 8, 12, escape(
				protocol + ": " + (latency ? "p99 latency, ms (log scale)" : "requests per second (log scale)"))));
		svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
				LEFT, bottom, LEFT + plotWidth, bottom));
		svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
				LEFT, top, LEFT, bottom));
		double logMin = (min == Double.MAX_VALUE) ? -1 : Math.floor(Math.log10(min));
		double logMax = (max <= 0) ? 0 : Math.ceil(Math.log10(max));
		if (logMax <= logMin) {
			logMax = logMin + 1;
		}
		// one decade per grid line: h2load's ceiling and a slow client fit on one axis
		int decades = (int) Math.round(logMax - logMin);
		for (int i = 0; i <= decades; i++) {
			double value = Math.pow(10, logMin + i);
			double y = bottom - PANEL_HEIGHT * (double) i / decades;
			svg.append(
					String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
							LEFT, y, LEFT + plotWidth, y));
			svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT - 4,
					y + 4, latency ? trim(value) : String.format(Locale.ROOT, "%,.0f", value)));
		}
		int groups = Math.max(1, concurrencies.size());
		double groupWidth = (double) plotWidth / groups;
		double barWidth = (groupWidth - 16) / Math.max(1, clients.size());
		for (int g = 0; g < concurrencies.size(); g++) {
			int c = concurrencies.get(g);
			double groupLeft = LEFT + g * groupWidth + 8;
			svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">C=%d</text>%n",
					groupLeft + (groupWidth - 16) / 2, bottom + 16, c));
			for (int k = 0; k < clients.size(); k++) {
				RunResult r = results.median(scenario, protocol, c, clients.get(k));
				if (r == null) {
					continue;
				}
				double value = latency ? r.p99() : r.perSecond();
				double fraction = (value <= 0) ? 0 : (Math.log10(value) - logMin) / (logMax - logMin);
				double barHeight = Math.max(0, Math.min(1, fraction)) * PANEL_HEIGHT;
				svg.append(String.format(Locale.ROOT,
						"<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s C=%d: %s</title></rect>%n",
						groupLeft + k * barWidth, bottom - barHeight, Math.max(1, barWidth - 1), barHeight,
						COLORS[k % COLORS.length], escape(ClientCatalog.label(clients.get(k))), c,
						latency ? trim(value) + " ms" : String.format(Locale.ROOT, "%,.0f req/s", value)));
			}
		}
		for (int k = 0; k < clients.size(); k++) {
			int y = top + 10 + k * 16;
			svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>%n",
					PANEL_WIDTH + 5, y - 9, COLORS[k % COLORS.length]));
			svg.append(text(PANEL_WIDTH + 20, y, 11, escape(ClientCatalog.label(clients.get(k)))));
		}
	}

	private static String trim(double value) {
		return (value >= 10) ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.2g", value);
	}

	private static String text(int x, int y, int size, String content) {
		return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"%d\">%s</text>%n", x, y, size, content);
	}

	private static String escape(String value) {
		return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
	}

}
