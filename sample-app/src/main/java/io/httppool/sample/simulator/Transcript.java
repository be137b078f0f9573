package io.httppool.sample.simulator;

import java.util.List;

/**
 * Transcript of one file, as a {@link SpeechEngine} produces it.
 *
 * @param durationSeconds length of the audio
 * @param segments stretches of speech or sound, in order
 * @author http-pool team
 */
public record Transcript(double durationSeconds, List<Segment> segments) {

	/**
	 * The whole text.
	 * @return the segments' texts joined by spaces
	 */
	public String text() {
		return String.join(" ", this.segments.stream().map(Segment::text).toList());
	}

	/**
	 * One stretch of speech or sound.
	 *
	 * @param start start in seconds from the beginning of the file
	 * @param end end in seconds
	 * @param text what was said, or what the simulator says about the sound
	 * @param noSpeechProb how likely the stretch holds no speech, from 0 to 1
	 */
	public record Segment(double start, double end, String text, double noSpeechProb) {
	}

}
