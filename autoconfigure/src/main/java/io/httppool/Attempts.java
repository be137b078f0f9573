package io.httppool;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpMethod;

/**
 * The one place an attempt of a client ends: it is counted in the
 * {@link PoolStateTracker} (the {@code requests} of {@link HttpPoolState}, shown by the
 * {@code httppools} endpoint) and, in the same call, handed to the client's
 * {@link HttpPoolAttemptRecorder}s (the {@code http.pool.requests} timer is one), in
 * customizer order. One event, two readers: the endpoint's count and the meter's count
 * cannot drift apart. Called by the {@link ClientGuard} only.
 */
final class Attempts {

	private static final Log logger = LogFactory.getLog(Attempts.class);

	private final String clientName;

	private final PoolStateTracker tracker;

	private final HttpPoolAttemptRecorder[] recorders;

	Attempts(String clientName, PoolStateTracker tracker, List<HttpPoolAttemptRecorder> recorders) {
		this.clientName = clientName;
		this.tracker = tracker;
		this.recorders = recorders.toArray(HttpPoolAttemptRecorder[]::new);
	}

	/**
	 * Start an attempt.
	 * @return what to hand back when it ends: the clock if a recorder needs a duration, 0
	 * without a recorder
	 */
	long started() {
		return (this.recorders.length > 0) ? System.nanoTime() : 0L;
	}

	void responded(HttpMethod method, int status, long start) {
		ended(method, status, null, start);
	}

	void failed(HttpMethod method, Throwable failure, long start) {
		ended(method, 0, failure, start);
	}

	private void ended(HttpMethod method, int status, @Nullable Throwable failure, long start) {
		this.tracker.attemptEnded();
		if (this.recorders.length == 0) {
			return;
		}
		long nanos = System.nanoTime() - start;
		for (HttpPoolAttemptRecorder recorder : this.recorders) {
			try {
				if (failure == null) {
					recorder.responded(method, status, nanos);
				}
				else {
					recorder.failed(method, failure, nanos);
				}
			}
			catch (RuntimeException ex) {
				// a broken recorder must break neither the exchange nor the other
				// recorders
				logger.warn("HTTP pool client '" + this.clientName + "': an attempt recorder failed", ex);
			}
		}
	}

	/**
	 * Whether attempts are recorded beyond being counted.
	 */
	boolean records() {
		return this.recorders.length > 0;
	}

}
