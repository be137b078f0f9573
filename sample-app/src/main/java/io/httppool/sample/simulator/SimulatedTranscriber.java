package io.httppool.sample.simulator;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * Turns audio into a transcript without recognising speech: segments are the stretches of
 * sound between pauses, and each segment's text states its length and loudness. The same
 * audio always gives the same transcript.
 *
 * @author http-pool team
 */
final class SimulatedTranscriber implements SpeechEngine {

	/** Loudness is measured over windows of this length. */
	private static final double WINDOW_SECONDS = 0.1;

	/** Windows quieter than this are silence. */
	private static final double SILENCE_DBFS = -45;

	/** A pause of at least this many silent windows ends a segment. */
	private static final int PAUSE_WINDOWS = 3;

	/** Segments longer than this many windows are cut, as Whisper does at 30 s. */
	private static final int MAX_SEGMENT_WINDOWS = 100;

	@Override
	public String model() {
		return OpenAiJson.SIMULATED;
	}

	@Override
	public boolean takesRealTime() {
		return false;
	}

	@Override
	public Transcript transcribe(byte[] wav) throws UnsupportedAudioFileException, IOException {
		try (AudioInputStream audio = pcm16(AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav)))) {
			AudioFormat format = audio.getFormat();
			int framesPerWindow = Math.max(1, Math.round(format.getFrameRate() * (float) WINDOW_SECONDS));
			byte[] bytes = audio.readAllBytes();
			Windows windows = Windows.of(bytes, format.getChannels(), framesPerWindow);
			double duration = bytes.length / (double) format.getFrameSize() / format.getFrameRate();
			return new Transcript(round(duration), segments(windows));
		}
	}

	private static AudioInputStream pcm16(AudioInputStream audio) throws UnsupportedAudioFileException {
		AudioFormat source = audio.getFormat();
		if (!AudioFormat.Encoding.PCM_SIGNED.equals(source.getEncoding())
				&& !AudioFormat.Encoding.PCM_UNSIGNED.equals(source.getEncoding())) {
			throw new UnsupportedAudioFileException("not PCM: " + source.getEncoding());
		}
		AudioFormat target = new AudioFormat(source.getSampleRate(), 16, source.getChannels(), true, false);
		return source.matches(target) ? audio : AudioSystem.getAudioInputStream(target, audio);
	}

	private static List<Transcript.Segment> segments(Windows windows) {
		double[] loudness = windows.dbfs();
		List<Transcript.Segment> segments = new ArrayList<>();
		int start = -1;
		int lastLoud = -1;
		for (int window = 0; window <= loudness.length; window++) {
			boolean loud = window < loudness.length && loudness[window] > SILENCE_DBFS;
			if (start >= 0 && (!loud && window - lastLoud >= PAUSE_WINDOWS || window == loudness.length
					|| window - start >= MAX_SEGMENT_WINDOWS)) {
				segments.add(segment(windows, start, lastLoud + 1));
				start = -1;
			}
			if (loud) {
				start = (start < 0) ? window : start;
				lastLoud = window;
			}
		}
		return segments;
	}

	private static Transcript.Segment segment(Windows windows, int from, int to) {
		double energy = 0;
		long crossings = 0;
		for (int window = from; window < to; window++) {
			energy += Math.pow(10, windows.dbfs()[window] / 10);
			crossings += windows.zeroCrossings()[window];
		}
		double dbfs = decibels(energy / (to - from));
		double seconds = (to - from) * WINDOW_SECONDS;
		// a periodic sound crosses zero twice per cycle
		long hertz = Math.round(crossings / seconds / 2);
		String text = String.format(Locale.ROOT, "[simulated] %.1f seconds of %s sound at %d dBFS, around %d Hz.",
				seconds, describe(dbfs), Math.round(dbfs), hertz);
		double noSpeech = Math.min(1, Math.max(0, -dbfs / 100));
		return new Transcript.Segment(round(from * WINDOW_SECONDS), round(to * WINDOW_SECONDS), text,
				Math.round(noSpeech * 100) / 100.0);
	}

	/**
	 * Loudness and zero crossings (of the first channel) of every window.
	 */
	private record Windows(double[] dbfs, int[] zeroCrossings) {

		static Windows of(byte[] pcm16, int channels, int framesPerWindow) {
			int frames = pcm16.length / 2 / channels;
			int count = (frames + framesPerWindow - 1) / framesPerWindow;
			Windows windows = new Windows(new double[count], new int[count]);
			for (int window = 0; window < count; window++) {
				int from = window * framesPerWindow;
				int to = Math.min(frames, from + framesPerWindow);
				double sum = 0;
				for (int frame = from; frame < to; frame++) {
					for (int channel = 0; channel < channels; channel++) {
						double sample = sample(pcm16, frame * channels + channel);
						sum += sample * sample;
					}
					if (frame > 0
							&& (sample(pcm16, frame * channels) < 0) != (sample(pcm16, (frame - 1) * channels) < 0)) {
						windows.zeroCrossings[window]++;
					}
				}
				windows.dbfs[window] = decibels(sum / ((to - from) * channels));
			}
			return windows;
		}

		/** The i-th 16-bit little-endian sample, from -1 to 1. */
		private static double sample(byte[] pcm16, int i) {
			return (short) ((pcm16[2 * i] & 0xff) | (pcm16[2 * i + 1] << 8)) / 32768.0;
		}

	}

	private static String describe(double dbfs) {
		if (dbfs >= -12) {
			return "loud";
		}
		if (dbfs >= -24) {
			return "clear";
		}
		return (dbfs >= -36) ? "soft" : "faint";
	}

	private static double decibels(double meanSquare) {
		return (meanSquare > 0) ? Math.max(-120, 10 * Math.log10(meanSquare)) : -120;
	}

	private static double round(double seconds) {
		return Math.round(seconds * 100) / 100.0;
	}

}
