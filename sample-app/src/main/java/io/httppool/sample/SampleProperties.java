package io.httppool.sample;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the sample under {@code sample.*}. The pooled client itself is configured
 * under {@code http.pool.clients.transcription.*}.
 *
 * @author http-pool team
 */
@ConfigurationProperties("sample")
public class SampleProperties {

	/**
	 * Model asked of the speech-to-text API when the request names none (environment
	 * variable SAMPLE_MODEL).
	 */
	private String model = "whisper-1";

	/**
	 * Length of the audio chunks sent upstream, each in its own request.
	 */
	private Duration chunkDuration = Duration.ofSeconds(15);

	/**
	 * Maximum number of chunks of one upload in flight at once.
	 */
	private int maxParallelChunks = 4;

	/**
	 * Largest WAV file accepted; larger uploads get 413.
	 */
	private DataSize maxUploadSize = DataSize.ofMegabytes(50);

	/**
	 * Embedded speech-to-text simulator, started when no base URL is configured for the
	 * transcription client.
	 */
	private final Upstream upstream = new Upstream();

	public String getModel() {
		return this.model;
	}

	public void setModel(String model) {
		this.model = model;
	}

	public Duration getChunkDuration() {
		return this.chunkDuration;
	}

	public void setChunkDuration(Duration chunkDuration) {
		this.chunkDuration = chunkDuration;
	}

	public int getMaxParallelChunks() {
		return this.maxParallelChunks;
	}

	public void setMaxParallelChunks(int maxParallelChunks) {
		this.maxParallelChunks = maxParallelChunks;
	}

	public DataSize getMaxUploadSize() {
		return this.maxUploadSize;
	}

	public void setMaxUploadSize(DataSize maxUploadSize) {
		this.maxUploadSize = maxUploadSize;
	}

	public Upstream getUpstream() {
		return this.upstream;
	}

	/**
	 * Behaviour of the embedded speech-to-text upstream.
	 */
	public static class Upstream {

		/**
		 * What turns audio into text: "sphinx" recognises English speech offline,
		 * "simulated" describes the sound (fast and deterministic, for tests and fault
		 * demos).
		 */
		private Engine engine = Engine.SPHINX;

		/**
		 * Sphinx4 recognizers loaded at startup, about 200 MB of heap each: the number of
		 * chunks recognised at once. More than the machine's cores does not help.
		 */
		private int recognizers = 2;

		/**
		 * Processing time per second of audio of the simulated engine: 0.1 answers a 15 s
		 * chunk after 1.5 s. The sphinx engine takes the time it needs.
		 */
		private double realTimeFactor = 0.1;

		/**
		 * Share of requests answered with 503, spread evenly (0.25 fails every 4th).
		 */
		private double errorRate = 0.0;

		/**
		 * Share of requests answered with 429 and a Retry-After header, spread evenly.
		 */
		private double throttleRate = 0.0;

		/**
		 * Delay announced in the Retry-After header of throttled requests.
		 */
		private Duration retryAfter = Duration.ofSeconds(1);

		public Engine getEngine() {
			return this.engine;
		}

		public void setEngine(Engine engine) {
			this.engine = engine;
		}

		public int getRecognizers() {
			return this.recognizers;
		}

		public void setRecognizers(int recognizers) {
			this.recognizers = recognizers;
		}

		public double getRealTimeFactor() {
			return this.realTimeFactor;
		}

		public void setRealTimeFactor(double realTimeFactor) {
			this.realTimeFactor = realTimeFactor;
		}

		public double getErrorRate() {
			return this.errorRate;
		}

		public void setErrorRate(double errorRate) {
			this.errorRate = errorRate;
		}

		public double getThrottleRate() {
			return this.throttleRate;
		}

		public void setThrottleRate(double throttleRate) {
			this.throttleRate = throttleRate;
		}

		public Duration getRetryAfter() {
			return this.retryAfter;
		}

		public void setRetryAfter(Duration retryAfter) {
			this.retryAfter = retryAfter;
		}

	}

	/**
	 * Engines of the embedded upstream.
	 */
	public enum Engine {

		/**
		 * CMU Sphinx4 with its US-English model: real, offline speech recognition.
		 */
		SPHINX,

		/**
		 * Describes each stretch of sound (length, loudness, pitch) instead of
		 * recognising it: instant and deterministic.
		 */
		SIMULATED

	}

}
