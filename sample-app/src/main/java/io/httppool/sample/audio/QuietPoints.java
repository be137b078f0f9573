package io.httppool.sample.audio;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/**
 * Finds where audio is quietest: the middle of the 100 ms stretch with the least energy.
 * A pause between words is such a stretch; the short closure of a consonant is not.
 * Cutting in the middle leaves some silence on both sides, which a recognizer needs to
 * notice where speech starts.
 *
 * @author http-pool team
 */
final class QuietPoints {

	private static final double STRETCH_SECONDS = 0.1;

	private static final double STEP_SECONDS = 0.01;

	/** The audio as 16-bit signed little-endian samples, for measuring only. */
	private final byte[] pcm16;

	private final int channels;

	private final int frames;

	private final int stretch;

	private final int step;

	QuietPoints(byte[] pcm, AudioFormat format) throws IOException {
		this.channels = format.getChannels();
		this.frames = pcm.length / format.getFrameSize();
		AudioFormat pcm16 = new AudioFormat(format.getSampleRate(), 16, this.channels, true, false);
		if (format.matches(pcm16)) {
			this.pcm16 = pcm;
		}
		else {
			AudioInputStream source = new AudioInputStream(new ByteArrayInputStream(pcm), format, this.frames);
			try (AudioInputStream converted = AudioSystem.getAudioInputStream(pcm16, source)) {
				this.pcm16 = converted.readAllBytes();
			}
		}
		this.stretch = (int) Math.max(1, Math.round(format.getFrameRate() * STRETCH_SECONDS));
		this.step = (int) Math.max(1, Math.round(format.getFrameRate() * STEP_SECONDS));
	}

	/**
	 * The frame in {@code [from, to]} in the middle of the quietest stretch, the latest
	 * of equally quiet ones, on a 10 ms grid counted back from {@code to}.
	 * @param from first frame allowed
	 * @param to last frame allowed
	 * @return the frame to cut at
	 */
	int latestQuietest(int from, int to) {
		int best = to;
		double bestEnergy = Double.MAX_VALUE;
		for (int middle = to; middle >= Math.max(from, 1); middle -= this.step) {
			double energy = energy(Math.max(0, middle - this.stretch / 2), middle + this.stretch / 2);
			if (energy < bestEnergy) {
				best = middle;
				bestEnergy = energy;
			}
		}
		return best;
	}

	private double energy(int fromFrame, int toFrame) {
		double sum = 0;
		int limit = Math.min(toFrame, this.frames);
		for (int sample = fromFrame * this.channels; sample < limit * this.channels; sample++) {
			double value = (short) ((this.pcm16[2 * sample] & 0xff) | (this.pcm16[2 * sample + 1] << 8));
			sum += value * value;
		}
		return sum / Math.max(1, limit - fromFrame);
	}

}
