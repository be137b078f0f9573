package io.httppool;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

import org.springframework.http.HttpRequest;

/**
 * A call of a client's {@code RestClient} as its interceptors see it (see
 * {@link StreamingRequestInterceptor}): the request, whether its body can be sent again,
 * and the call's deadline, which every wait of an attempt honours without interrupting
 * the calling thread.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public interface HttpPoolRestRequest extends HttpRequest {

	/**
	 * Whether the body can be sent again: there is none, it is buffered, it is
	 * {@linkplain org.springframework.http.StreamingHttpOutputMessage.Body#repeatable()
	 * repeatable} (a {@code byte[]}, a {@code String}, a JSON value, ...), or no attempt
	 * has begun to write it yet. A streamed body such as an {@code InputStreamResource}
	 * is not replayable once an attempt started writing it.
	 * @return whether the body can be sent again
	 */
	boolean isBodyReplayable();

	/**
	 * Give the call a deadline: from then on every {@link #await(CompletableFuture) wait}
	 * of its attempts, the exchange included, ends when it passes.
	 * @param deadlineNanos the deadline, on the {@link System#nanoTime()} clock
	 * @param exceeded the exception a wait that the deadline cut short throws
	 */
	void deadline(long deadlineNanos, Supplier<? extends RuntimeException> exceeded);

	/**
	 * Wait for a future on the calling thread until the call's deadline, if it has one.
	 * When the deadline passes first, the future is cancelled and the deadline's
	 * exception thrown; the thread is never interrupted.
	 * @param <T> the type of the result
	 * @param future what to wait for
	 * @return the result
	 * @throws ExecutionException if the future failed
	 * @throws InterruptedException if the calling thread was interrupted; the future is
	 * cancelled
	 */
	<T> T await(CompletableFuture<T> future) throws ExecutionException, InterruptedException;

}
