package io.httppool.sample;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Word error rate: the word-level edit distance (substitutions, deletions, insertions)
 * from a reference text to a recognised one, divided by the number of reference words.
 * Case and punctuation do not count.
 */
public final class WordErrorRate {

	private WordErrorRate() {
	}

	/**
	 * Words of a text, lower case, without punctuation.
	 * @param text the text
	 * @return the words
	 */
	public static List<String> words(String text) {
		String normalized = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9' ]", " ").trim();
		return normalized.isEmpty() ? List.of() : Arrays.asList(normalized.split("\\s+"));
	}

	/**
	 * Edit distance in words.
	 * @param reference what was said
	 * @param hypothesis what was recognised
	 * @return substitutions, deletions and insertions
	 */
	public static int errors(String reference, String hypothesis) {
		List<String> ref = words(reference);
		List<String> hyp = words(hypothesis);
		int[] previous = new int[hyp.size() + 1];
		int[] current = new int[hyp.size() + 1];
		for (int j = 0; j <= hyp.size(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= ref.size(); i++) {
			current[0] = i;
			for (int j = 1; j <= hyp.size(); j++) {
				int substitution = previous[j - 1] + (ref.get(i - 1).equals(hyp.get(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[hyp.size()];
	}

	/**
	 * Word error rate of one text.
	 * @param reference what was said
	 * @param hypothesis what was recognised
	 * @return errors per reference word, 0 when both agree
	 */
	public static double of(String reference, String hypothesis) {
		return errors(reference, hypothesis) / (double) Math.max(1, words(reference).size());
	}

}
