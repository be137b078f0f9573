package io.httppool;

import java.util.List;

import org.springframework.http.HttpMethod;

/**
 * The recorders of one client, when more than one customizer returns one: each is told,
 * in customizer order.
 */
final class AttemptRecorders implements HttpPoolAttemptRecorder {

	private final HttpPoolAttemptRecorder[] recorders;

	AttemptRecorders(List<HttpPoolAttemptRecorder> recorders) {
		this.recorders = recorders.toArray(HttpPoolAttemptRecorder[]::new);
	}

	@Override
	public void responded(HttpMethod method, int status, long nanos) {
		for (HttpPoolAttemptRecorder recorder : this.recorders) {
			recorder.responded(method, status, nanos);
		}
	}

	@Override
	public void failed(HttpMethod method, Throwable failure, long nanos) {
		for (HttpPoolAttemptRecorder recorder : this.recorders) {
			recorder.failed(method, failure, nanos);
		}
	}

}
