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
	 * Behaviour of the embedded speech-to-text simulator.
	 */
	public static class Upstream {

		/**
		 * Processing time per second of audio: 0.1 answers a 15 s chunk after 1.5 s.
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

}
