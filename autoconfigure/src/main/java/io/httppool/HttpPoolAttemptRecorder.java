package io.httppool;

import org.springframework.http.HttpMethod;

/**
 * Told about every attempt of one client when it ends, by the client's guard, the one
 * place every attempt of its {@code WebClient}, {@code RestClient} and HTTP service
 * groups passes (retries are attempts of their own). An attempt starts when it is handed
 * to the transport, before it asks the pool for a connection, and ends when its response
 * headers arrive or it fails; an attempt its caller cancels before that is not reported.
 * The same event counts the attempt for {@link HttpPoolState#requests()}, so a recorder
 * and the {@code httppools} endpoint see the same attempts.
 *
 * <p>
 * Returned per client by {@link HttpPoolClientCustomizer#attemptRecorder}, once at
 * startup. Both methods run on the thread that completes the attempt (often an event
 * loop): they must be cheap and must not block or throw.
 *
 * @author http-pool team
 * @since 0.2.0
 */
public interface HttpPoolAttemptRecorder {

	/**
	 * An attempt received its response headers.
	 * @param method the request method
	 * @param status the response status code
	 * @param nanos the time since the attempt started, in nanoseconds
	 */
	void responded(HttpMethod method, int status, long nanos);

	/**
	 * An attempt failed before its response headers arrived.
	 * @param method the request method
	 * @param failure the failure as the transport raised it, before the guard types it
	 * @param nanos the time since the attempt started, in nanoseconds
	 */
	void failed(HttpMethod method, Throwable failure, long nanos);

}
