package io.httppool.sample.audio;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * Cuts a PCM WAV file into chunks of at most a fixed duration, each ending at a quiet
 * moment and written back as a WAV file of the same format. The JDK's
 * {@code javax.sound.sampled} reads and writes the files.
 *
 * @author http-pool team
 */
public class WavSplitter {

	private static final Set<AudioFormat.Encoding> PCM = Set.of(AudioFormat.Encoding.PCM_SIGNED,
			AudioFormat.Encoding.PCM_UNSIGNED);

	/** A chunk may end this share of its duration early, the last fifth. */
	private static final int SEARCH_SHARE = 5;

	private final Duration chunkDuration;

	/**
	 * Create a splitter.
	 * @param chunkDuration length of every chunk but the last
	 */
	public WavSplitter(Duration chunkDuration) {
		this.chunkDuration = chunkDuration;
	}

	/**
	 * Split a WAV file. Each chunk ends at the quietest moment of the last part before
	 * its boundary, so that a word is not cut in two.
	 * @param wav the file content
	 * @return the chunks
	 * @throws InvalidAudioException if the content is not a PCM WAV file with audio
	 */
	public SplitAudio split(byte[] wav) throws InvalidAudioException {
		try (AudioInputStream audio = open(wav)) {
			AudioFormat format = audio.getFormat();
			byte[] pcm = audio.readAllBytes();
			int frameSize = format.getFrameSize();
			int frames = pcm.length / frameSize;
			if (frames == 0) {
				throw new InvalidAudioException("WAV file holds no audio frames");
			}
			double frameRate = format.getFrameRate();
			int framesPerChunk = (int) Math.max(1, Math.round(frameRate * this.chunkDuration.toNanos() / 1e9));
			QuietPoints quiet = new QuietPoints(pcm, format);
			List<AudioChunk> chunks = new ArrayList<>();
			int start = 0;
			while (start < frames) {
				int end = (int) Math.min(frames, (long) start + framesPerChunk);
				if (end < frames) {
					end = quiet.latestQuietest(end - framesPerChunk / SEARCH_SHARE, end);
				}
				chunks.add(new AudioChunk(chunks.size(), start / frameRate, (end - start) / frameRate,
						toWav(pcm, start, end, format)));
				start = end;
			}
			return new SplitAudio(Math.round(frames / frameRate * 1000) / 1000.0, chunks);
		}
		catch (IOException ex) {
			throw new InvalidAudioException("WAV file could not be read: " + ex.getMessage());
		}
	}

	private static AudioInputStream open(byte[] wav) throws InvalidAudioException, IOException {
		AudioFileFormat fileFormat;
		try {
			fileFormat = AudioSystem.getAudioFileFormat(new ByteArrayInputStream(wav));
		}
		catch (UnsupportedAudioFileException ex) {
			throw new InvalidAudioException("file is not a WAV file");
		}
		if (fileFormat.getType() != AudioFileFormat.Type.WAVE) {
			throw new InvalidAudioException("file is " + fileFormat.getType() + " audio, not a WAV file");
		}
		AudioFormat format = fileFormat.getFormat();
		if (!PCM.contains(format.getEncoding())) {
			throw new InvalidAudioException(
					"WAV file must hold PCM audio (integer samples), but holds " + format.getEncoding());
		}
		if (!(format.getFrameRate() > 0) || format.getFrameSize() <= 0 || format.getChannels() <= 0) {
			throw new InvalidAudioException("WAV header is invalid: " + Math.round(format.getSampleRate()) + " Hz, "
					+ format.getChannels() + " channel(s), " + format.getSampleSizeInBits()
					+ " bits per sample; sample rate, channels and sample size must be positive");
		}
		try {
			return AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav));
		}
		catch (UnsupportedAudioFileException ex) {
			throw new InvalidAudioException("file is not a WAV file");
		}
	}

	private static byte[] toWav(byte[] pcm, int fromFrame, int toFrame, AudioFormat format) throws IOException {
		int frameSize = format.getFrameSize();
		int frames = toFrame - fromFrame;
		ByteArrayOutputStream out = new ByteArrayOutputStream(frames * frameSize + 44);
		AudioInputStream chunk = new AudioInputStream(
				new ByteArrayInputStream(pcm, fromFrame * frameSize, frames * frameSize), format, frames);
		AudioSystem.write(chunk, AudioFileFormat.Type.WAVE, out);
		return out.toByteArray();
	}

}
