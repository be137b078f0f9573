package io.httppool.test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Prometheus text scrape, parsed just enough for assertions: sample lines by metric
 * name and labels.
 */
public final class PrometheusScrape {

	private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)\\})? (\\S+)$");

	private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

	private final String text;

	public PrometheusScrape(String text) {
		this.text = text;
	}

	public String text() {
		return this.text;
	}

	/**
	 * Every sample line, without comments.
	 * @return the samples
	 */
	public List<Sample> samples() {
		return this.text.lines().map(SAMPLE::matcher).filter(Matcher::matches).map(PrometheusScrape::sample).toList();
	}

	/**
	 * Samples whose name starts with the given prefix.
	 * @param prefix the name prefix
	 * @return the samples
	 */
	public List<Sample> samples(String prefix) {
		return samples().stream().filter((sample) -> sample.name().startsWith(prefix)).toList();
	}

	/**
	 * Value of the one sample of the given name whose labels include the given ones.
	 * @param name the metric name
	 * @param labels label names and values, alternating
	 * @return the value
	 * @throws AssertionError if there is not exactly one such sample
	 */
	public double value(String name, String... labels) {
		List<Sample> matching = samples().stream()
			.filter((sample) -> sample.name().equals(name) && sample.hasLabels(labels))
			.toList();
		if (matching.size() != 1) {
			throw new AssertionError("Expected one sample " + name + " with " + List.of(labels) + " but found "
					+ matching + " in:\n" + this.text);
		}
		return matching.get(0).value();
	}

	/**
	 * Value of the sample, or 0 when there is none.
	 * @param name the metric name
	 * @param labels label names and values, alternating
	 * @return the value
	 */
	public double valueOrZero(String name, String... labels) {
		return samples().stream()
			.filter((sample) -> sample.name().equals(name) && sample.hasLabels(labels))
			.mapToDouble(Sample::value)
			.findFirst()
			.orElse(0.0);
	}

	private static Sample sample(Matcher matcher) {
		Map<String, String> labels = new TreeMap<>();
		if (matcher.group(3) != null) {
			Matcher label = LABEL.matcher(matcher.group(3));
			while (label.find()) {
				labels.put(label.group(1), label.group(2));
			}
		}
		return new Sample(matcher.group(1), labels, Double.parseDouble(matcher.group(4)));
	}

	/**
	 * One sample line.
	 *
	 * @param name the metric name
	 * @param labels the labels
	 * @param value the value
	 */
	public record Sample(String name, Map<String, String> labels, double value) {

		boolean hasLabels(String... nameValues) {
			for (int i = 0; i < nameValues.length; i += 2) {
				if (!nameValues[i + 1].equals(this.labels.get(nameValues[i]))) {
					return false;
				}
			}
			return true;
		}

	}

}
