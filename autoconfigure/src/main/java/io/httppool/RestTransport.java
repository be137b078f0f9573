package io.httppool;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpRequest;
import org.springframework.http.StreamingHttpOutputMessage;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.reactive.ClientHttpRequest;

/**
 * Sends one attempt of a {@code RestClient} call through the connector of the client's
 * current pool, the one its {@code WebClient} uses, and waits for the response headers on
 * the calling thread within the call's deadline ({@link HttpPoolRestRequest#await}): when
 * the deadline passes, the exchange is cancelled and the caller gets the typed deadline
 * exception, its thread never interrupted. A streamed body is written by a
 * {@code boundedElastic} thread into the network as demand allows, as Spring's
 * {@code ReactorClientHttpRequest} does; a buffered one in one buffer.
 */
final class RestTransport {

	// where a streamed body is written: its writer blocks when the network is slower
	private static final Executor BODY_WRITERS = (task) -> Schedulers.boundedElastic().schedule(task);

	private final CurrentPool pool;

	RestTransport(CurrentPool pool) {
		this.pool = pool;
	}

	/**
	 * Send one attempt.
	 * @param call the call
	 * @param request the request as the interceptors left it
	 * @param buffered the buffered body, or {@code null} when the call's body streams
	 * @return the response
	 */
	ClientHttpResponse exchange(LayeredRequest call, HttpRequest request, byte @Nullable [] buffered)
			throws IOException {
		// a layer may have waited it out: do not start what would be cancelled at once
		call.checkDeadline();
		PoolGeneration generation = this.pool.enter();
		try {
			StreamingHttpOutputMessage.Body streamed = (buffered != null) ? null : call.streamedBody();
			Mono<org.springframework.http.client.reactive.ClientHttpResponse> exchange = generation.connector()
				.connect(request.getMethod(), request.getURI(),
						(outbound) -> send(outbound, request, buffered, streamed));
			return new BlockingResponse(call.await(exchange.toFuture()));
		}
		catch (ExecutionException ex) {
			throw ioException(ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			InterruptedIOException interrupted = new InterruptedIOException(
					"interrupted while waiting for a response of HTTP pool '" + generation.settings().name() + "'");
			interrupted.initCause(ex);
			throw interrupted;
		}
		finally {
			generation.exit();
		}
	}

	private static Mono<Void> send(ClientHttpRequest outbound, HttpRequest request, byte @Nullable [] buffered,
			StreamingHttpOutputMessage.@Nullable Body streamed) {
		outbound.getHeaders().putAll(request.getHeaders());
		outbound.getAttributes().putAll(request.getAttributes());
		if (buffered != null && buffered.length > 0) {
			outbound.getHeaders().setContentLength(buffered.length);
			return outbound.writeWith(Mono.just(outbound.bufferFactory().wrap(buffered)));
		}
		if (streamed != null) {
			return outbound.writeWith(DataBufferUtils.outputStreamPublisher((stream) -> write(streamed, stream),
					outbound.bufferFactory(), BODY_WRITERS));
		}
		return outbound.setComplete();
	}

	private static void write(StreamingHttpOutputMessage.Body body, OutputStream stream) {
		try {
			body.writeTo(stream);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	// as Spring's ReactorClientHttpRequest: the RestClient reports I/O failures as such
	private static IOException ioException(@Nullable Throwable failure) {
		if (failure instanceof IOException io) {
			return io;
		}
		if (failure instanceof UncheckedIOException unchecked) {
			IOException cause = unchecked.getCause();
			if (cause != null) {
				return cause;
			}
		}
		return new IOException((failure != null) ? failure.getMessage() : null, failure);
	}

}
