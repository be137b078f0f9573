package io.httppool.sample.audio;

/**
 * One chunk of an upload, a complete WAV file of its own.
 *
 * @param index position of the chunk in the upload, from 0
 * @param offsetSeconds where the chunk starts in the upload
 * @param durationSeconds length of the chunk
 * @param wav the chunk as a WAV file, same audio format as the upload
 * @author http-pool team
 */
public record AudioChunk(int index, double offsetSeconds, double durationSeconds, byte[] wav) {

	/**
	 * File name sent upstream for this chunk.
	 * @return a name such as {@code chunk-003.wav}
	 */
	public String filename() {
		return String.format("chunk-%03d.wav", this.index);
	}

}
