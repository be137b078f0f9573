package io.httppool;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.StreamingHttpOutputMessage;
import org.springframework.http.client.AbstractStreamingClientHttpRequest;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.util.FastByteArrayOutputStream;

/**
 * One call: the request its interceptors see, and the body its attempts write.
 */
final class LayeredRequest extends AbstractStreamingClientHttpRequest
		implements HttpPoolRestRequest, StreamingHttpOutputMessage.Body {

	private final LayeredRequestFactory factory;

	private final URI uri;

	private final HttpMethod method;

	private StreamingHttpOutputMessage.@Nullable Body body;

	// written by the thread that writes the body (not the caller's)
	private volatile boolean bodyStarted;

	private long deadlineNanos;

	private @Nullable Supplier<? extends RuntimeException> exceeded;

	LayeredRequest(LayeredRequestFactory factory, URI uri, HttpMethod method) {
		this.factory = factory;
		this.uri = uri;
		this.method = method;
	}

	@Override
	public HttpMethod getMethod() {
		return this.method;
	}

	@Override
	public URI getURI() {
		return this.uri;
	}

	@Override
	public void setBody(byte[] body) throws IOException {
		// an array (Spring's own interceptors buffered the body) is sent as it is
		setBody(new LayeredRequestFactory.Bytes(body));
	}

	@Override
	protected ClientHttpResponse executeInternal(HttpHeaders headers, StreamingHttpOutputMessage.@Nullable Body body)
			throws IOException {
		this.body = body;
		byte[] content = LayeredRequestFactory.STREAMED;
		if (body instanceof LayeredRequestFactory.Bytes bytes) {
			content = bytes.content();
		}
		else if (!this.factory.streams() && body != null) {
			FastByteArrayOutputStream buffer = new FastByteArrayOutputStream();
			body.writeTo(buffer);
			content = buffer.toByteArrayUnsafe();
		}
		return this.factory.execute(this, content);
	}

	/**
	 * The body an attempt streams, or {@code null} for none.
	 */
	StreamingHttpOutputMessage.@Nullable Body streamedBody() {
		return (this.body != null) ? this : null;
	}

	// ---- the body an attempt writes: the caller's, noting that it was started

	@Override
	public void writeTo(OutputStream outputStream) throws IOException {
		StreamingHttpOutputMessage.Body body = this.body;
		if (body != null) {
			this.bodyStarted = true;
			body.writeTo(outputStream);
		}
	}

	@Override
	public boolean repeatable() {
		StreamingHttpOutputMessage.Body body = this.body;
		return body == null || body.repeatable();
	}

	// ---- HttpPoolRestRequest

	@Override
	public boolean isBodyReplayable() {
		return !this.factory.streams() || repeatable() || !this.bodyStarted;
	}

	@Override
	public void deadline(long deadlineNanos, Supplier<? extends RuntimeException> exceeded) {
		this.deadlineNanos = deadlineNanos;
		this.exceeded = exceeded;
	}

	/**
	 * Throw the deadline's exception if the call's deadline has passed.
	 */
	void checkDeadline() {
		Supplier<? extends RuntimeException> exceeded = this.exceeded;
		if (exceeded != null && this.deadlineNanos - System.nanoTime() <= 0) {
			throw exceeded.get();
		}
	}

	@Override
	public <T> T await(CompletableFuture<T> future) throws ExecutionException, InterruptedException {
		Supplier<? extends RuntimeException> exceeded = this.exceeded;
		try {
			if (exceeded == null) {
				return future.get();
			}
			long remaining = this.deadlineNanos - System.nanoTime();
			if (remaining > 0) {
				try {
					return future.get(remaining, TimeUnit.NANOSECONDS);
				}
				catch (TimeoutException ex) {
					// the deadline passed: cancelled below, unless it completed
					// meanwhile
				}
			}
		}
		catch (InterruptedException ex) {
			future.cancel(false);
			throw ex;
		}
		if (future.cancel(false)) {
			throw exceeded.get();
		}
		return future.get();
	}

}
