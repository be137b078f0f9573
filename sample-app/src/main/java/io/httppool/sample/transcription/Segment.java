package io.httppool.sample.transcription;

/**
 * A stretch of transcribed speech.
 *
 * @param start start in seconds from the beginning of the upload
 * @param end end in seconds from the beginning of the upload
 * @param text what was said
 * @author http-pool team
 */
public record Segment(double start, double end, String text) {

	/**
	 * Return this segment moved by a number of seconds.
	 * @param seconds the shift
	 * @return the shifted segment, times rounded to the millisecond
	 */
	Segment shiftedBy(double seconds) {
		return new Segment(millis(this.start + seconds), millis(this.end + seconds), this.text.trim());
	}

	static double millis(double seconds) {
		return Math.round(seconds * 1000) / 1000.0;
	}

}
