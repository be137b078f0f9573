package io.httppool;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpMethod;

/**
 * The one place an attempt of a client ends: it is counted in the
 * {@link PoolStateTracker} (the {@code requests} of {@link HttpPoolState}, shown by the
 * {@code httppools} endpoint) and, in the same call, handed to the client's
 * {@link HttpPoolAttemptRecorder}, which is what the {@code http.pool.requests} meter
 * records. One event, two readers: the endpoint's count and the meter's count cannot
 * drift apart. Called by the {@link ClientGuard} only.
 */
final class Attempts {

	private static final Log logger = LogFactory.getLog(Attempts.class);

	private final String clientName;

	private final PoolStateTracker tracker;

	private final @Nullable HttpPoolAttemptRecorder recorder;

	Attempts(String clientName, PoolStateTracker tracker, @Nullable HttpPoolAttemptRecorder recorder) {
		this.clientName = clientName;
		this.tracker = tracker;
		this.recorder = recorder;
	}

	/**
	 * Start an attempt.
	 * @return what to hand back when it ends: the clock if the recorder needs a duration,
	 * 0 without a recorder
	 */
	long started() {
		return (this.recorder != null) ? System.nanoTime() : 0L;
	}

	void responded(HttpMethod method, int status, long start) {
		this.tracker.attemptEnded();
		HttpPoolAttemptRecorder recorder = this.recorder;
		if (recorder != null) {
			try {
				recorder.responded(method, status, System.nanoTime() - start);
			}
			catch (RuntimeException ex) {
				recorderFailed(ex);
			}
		}
	}

	void failed(HttpMethod method, Throwable failure, long start) {
		this.tracker.attemptEnded();
		HttpPoolAttemptRecorder recorder = this.recorder;
		if (recorder != null) {
			try {
				recorder.failed(method, failure, System.nanoTime() - start);
			}
			catch (RuntimeException ex) {
				recorderFailed(ex);
			}
		}
	}

	/**
	 * Whether attempts are recorded beyond being counted.
	 */
	boolean records() {
		return this.recorder != null;
	}

	// a broken recorder must not break the exchange it records
	private void recorderFailed(RuntimeException ex) {
		logger.warn("HTTP pool client '" + this.clientName + "': its attempt recorder failed", ex);
	}

}
