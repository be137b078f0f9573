package io.httppool.sample;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/**
 * Audio for tests, made on the fly: tone bursts whose position and pitch are known, so a
 * test can predict every segment of the transcript.
 */
public final class TestAudio {

	/** Sample rate of the generated audio. */
	public static final float SAMPLE_RATE = 16000;

	/** Every burst sounds this long, with half a second of silence on either side. */
	public static final int BURST_SECONDS = 2;

	/** A burst starts every this many seconds. */
	public static final int PERIOD_SECONDS = 3;

	/**
	 * Silence before each burst: the pauses lie around multiples of 3 s, so a splitter
	 * that cuts at the quietest point near 15 s cuts at 15 s exactly.
	 */
	private static final double LEAD_SECONDS = 0.5;

	private static final AudioFormat PCM = new AudioFormat(SAMPLE_RATE, 16, 1, true, false);

	private TestAudio() {
	}

	/**
	 * The committed speech sample, {@code samples/hello-http-pool.wav}.
	 * @return the file content
	 */
	public static byte[] sample() {
		try {
			return Files.readAllBytes(Path.of("samples/hello-http-pool.wav"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A 16 kHz mono PCM WAV file of tone bursts: burst {@code n} starts at
	 * {@link #start(int) 3n + 0.5} seconds, lasts 2 seconds and has the pitch
	 * {@link #pitch(int)}.
	 * @param seconds length of the file
	 * @return the file content
	 */
	public static byte[] bursts(int seconds) {
		return write(pcmBursts(seconds), PCM, AudioFileFormat.Type.WAVE);
	}

	/**
	 * Start of the n-th burst.
	 * @param burst the burst index, from 0
	 * @return seconds from the beginning of the file
	 */
	public static double start(int burst) {
		return PERIOD_SECONDS * burst + LEAD_SECONDS;
	}

	/**
	 * Pitch of the n-th burst.
	 * @param burst the burst index, from 0
	 * @return the frequency in Hz
	 */
	public static int pitch(int burst) {
		return 300 + 10 * burst;
	}

	/**
	 * The same bursts as a mu-law WAV file: a WAV file that does not hold PCM.
	 * @param seconds length of the file
	 * @return the file content
	 */
	public static byte[] ulawWav(int seconds) {
		AudioFormat ulaw = new AudioFormat(AudioFormat.Encoding.ULAW, SAMPLE_RATE, 8, 1, 1, SAMPLE_RATE, false);
		byte[] pcm = pcmBursts(seconds);
		try (AudioInputStream converted = AudioSystem.getAudioInputStream(ulaw,
				new AudioInputStream(new ByteArrayInputStream(pcm), PCM, pcm.length / 2))) {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			AudioSystem.write(converted, AudioFileFormat.Type.WAVE, out);
			return out.toByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The same bursts as an AIFF file: audio, but not WAV.
	 * @param seconds length of the file
	 * @return the file content
	 */
	public static byte[] aiff(int seconds) {
		return write(pcmBursts(seconds), new AudioFormat(SAMPLE_RATE, 16, 1, true, true), AudioFileFormat.Type.AIFF);
	}

	/**
	 * A copy of a WAV file whose header says 0 Hz (sample rate and byte rate zeroed).
	 * @param wav a canonical 44-byte-header WAV file
	 * @return the damaged copy
	 */
	public static byte[] withSampleRateZero(byte[] wav) {
		byte[] damaged = wav.clone();
		java.util.Arrays.fill(damaged, 24, 32, (byte) 0);
		return damaged;
	}

	private static byte[] pcmBursts(int seconds) {
		int frames = Math.round(SAMPLE_RATE * seconds);
		byte[] pcm = new byte[frames * 2];
		for (int frame = 0; frame < frames; frame++) {
			double time = frame / SAMPLE_RATE;
			int burst = (int) (time / PERIOD_SECONDS);
			double sinceStart = time - start(burst);
			if (sinceStart >= 0 && sinceStart < BURST_SECONDS) {
				short sample = (short) Math.round(0.5 * 32767 * Math.sin(2 * Math.PI * pitch(burst) * time));
				pcm[2 * frame] = (byte) sample;
				pcm[2 * frame + 1] = (byte) (sample >> 8);
			}
		}
		return pcm;
	}

	private static byte[] write(byte[] littleEndianPcm, AudioFormat format, AudioFileFormat.Type type) {
		byte[] data = littleEndianPcm;
		if (format.isBigEndian()) {
			data = littleEndianPcm.clone();
			for (int i = 0; i < data.length; i += 2) {
				data[i] = littleEndianPcm[i + 1];
				data[i + 1] = littleEndianPcm[i];
			}
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			AudioSystem.write(new AudioInputStream(new ByteArrayInputStream(data), format, data.length / 2), type, out);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

}
