package io.httppool.sample.audio;

/**
 * The upload is not audio this sample can split: not a WAV file, not PCM, or empty.
 *
 * @author http-pool team
 */
public class InvalidAudioException extends Exception {

	public InvalidAudioException(String message) {
		super(message);
	}

}
