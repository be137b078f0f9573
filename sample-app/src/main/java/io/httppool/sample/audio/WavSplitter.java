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
 * Cuts a PCM WAV file into chunks of a fixed duration, each written back as a WAV file of
 * the same format. The JDK's {@code javax.sound.sampled} reads and writes the files.
 *
 * @author http-pool team
 */
public class WavSplitter {

	private static final Set<AudioFormat.Encoding> PCM = Set.of(AudioFormat.Encoding.PCM_SIGNED,
			AudioFormat.Encoding.PCM_UNSIGNED);

	private final Duration chunkDuration;

	/**
	 * Create a splitter.
	 * @param chunkDuration length of every chunk but the last
	 */
	public WavSplitter(Duration chunkDuration) {
		this.chunkDuration = chunkDuration;
	}

	/**
	 * Split a WAV file.
	 * @param wav the file content
	 * @return the chunks
	 * @throws InvalidAudioException if the content is not a PCM WAV file with audio
	 */
	public SplitAudio split(byte[] wav) throws InvalidAudioException {
		try (AudioInputStream audio = open(wav)) {
			AudioFormat format = audio.getFormat();
			int frameSize = format.getFrameSize();
			double frameRate = format.getFrameRate();
			long framesPerChunk = Math.max(1, Math.round(frameRate * this.chunkDuration.toNanos() / 1e9));
			byte[] buffer = new byte[Math.toIntExact(framesPerChunk * frameSize)];
			List<AudioChunk> chunks = new ArrayList<>();
			long framesRead = 0;
			int read;
			while ((read = audio.readNBytes(buffer, 0, buffer.length)) >= frameSize) {
				int frames = read / frameSize;
				chunks.add(new AudioChunk(chunks.size(), framesRead / frameRate, frames / frameRate,
						toWav(buffer, frames, format)));
				framesRead += frames;
			}
			if (chunks.isEmpty()) {
				throw new InvalidAudioException("WAV file holds no audio frames");
			}
			return new SplitAudio(Math.round(framesRead / frameRate * 1000) / 1000.0, chunks);
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
		if (!PCM.contains(format.getEncoding()) || format.getFrameSize() <= 0 || format.getFrameRate() <= 0) {
			throw new InvalidAudioException(
					"WAV file must hold PCM audio (integer samples), but holds " + format.getEncoding());
		}
		try {
			return AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav));
		}
		catch (UnsupportedAudioFileException ex) {
			throw new InvalidAudioException("file is not a WAV file");
		}
	}

	private static byte[] toWav(byte[] buffer, int frames, AudioFormat format) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream(frames * format.getFrameSize() + 44);
		AudioInputStream chunk = new AudioInputStream(
				new ByteArrayInputStream(buffer, 0, frames * format.getFrameSize()), format, frames);
		AudioSystem.write(chunk, AudioFileFormat.Type.WAVE, out);
		return out.toByteArray();
	}

}
