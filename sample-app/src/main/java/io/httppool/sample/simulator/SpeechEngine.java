package io.httppool.sample.simulator;

import java.io.IOException;

import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * What turns the audio of one request into a transcript behind the embedded upstream:
 * {@link SphinxEngine} recognises speech, {@link SimulatedTranscriber} describes the
 * sound. Chosen by {@code sample.upstream.engine}.
 *
 * @author http-pool team
 */
public interface SpeechEngine extends AutoCloseable {

	/**
	 * Name of the engine, sent as {@code "model"} in every answer.
	 * @return the name, such as {@code sphinx4-en-us}
	 */
	String model();

	/**
	 * Transcribe a WAV file. May block for about the length of the audio; never called on
	 * an event loop.
	 * @param wav the file content
	 * @return the transcript
	 * @throws UnsupportedAudioFileException if the content is not PCM WAV audio
	 * @throws IOException if the content cannot be read
	 */
	Transcript transcribe(byte[] wav) throws UnsupportedAudioFileException, IOException;

	/**
	 * Whether the engine takes its own time, so that no processing delay is added.
	 * @return {@code true} for a real recognizer
	 */
	default boolean takesRealTime() {
		return true;
	}

	@Override
	default void close() {
	}

}
