package io.httppool;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpRequest;
import org.springframework.http.StreamingHttpOutputMessage;
import org.springframework.http.client.AbstractStreamingClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.util.FastByteArrayOutputStream;

/**
 * The request factory of a client's {@code RestClient}: runs the interceptors the starter
 * took out of the builder (see {@link StreamingRequestInterceptor}) around each attempt,
 * and hands each attempt to the {@link RestTransport}. Unlike Spring's
 * {@code InterceptingClientHttpRequestFactory} it buffers the body only when an
 * interceptor may read it; otherwise the body a message converter or a
 * {@code StreamingHttpOutputMessage.Body} writes goes to the network as it is written. An
 * interceptor may execute the rest of the chain more than once (a retry): each execution
 * is an attempt of its own, with the same body.
 */
final class LayeredRequestFactory implements ClientHttpRequestFactory {

	// the body argument of the interceptors when the body streams (or there is none)
	private static final byte[] STREAMED = new byte[0];

	private final RestTransport transport;

	private final ClientHttpRequestInterceptor[] interceptors;

	// every interceptor promises to leave the body alone
	private final boolean streams;

	LayeredRequestFactory(RestTransport transport, List<ClientHttpRequestInterceptor> interceptors) {
		this.transport = transport;
		this.interceptors = interceptors.toArray(ClientHttpRequestInterceptor[]::new);
		this.streams = interceptors.stream().allMatch(StreamingRequestInterceptor.class::isInstance);
	}

	List<ClientHttpRequestInterceptor> interceptors() {
		return List.of(this.interceptors);
	}

	boolean streams() {
		return this.streams;
	}

	@Override
	public org.springframework.http.client.ClientHttpRequest createRequest(URI uri, HttpMethod httpMethod) {
		return new LayeredRequest(this, uri, httpMethod);
	}

	/**
	 * One call: the request its interceptors see, and the body its attempts write.
	 */
	static final class LayeredRequest extends AbstractStreamingClientHttpRequest
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
			setBody(new Bytes(body));
		}

		@Override
		protected ClientHttpResponse executeInternal(HttpHeaders headers,
				StreamingHttpOutputMessage.@Nullable Body body) throws IOException {
			this.body = body;
			byte[] content = STREAMED;
			if (body instanceof Bytes bytes) {
				content = bytes.content();
			}
			else if (!this.factory.streams && body != null) {
				FastByteArrayOutputStream buffer = new FastByteArrayOutputStream();
				body.writeTo(buffer);
				content = buffer.toByteArrayUnsafe();
			}
			return new Step(this, 0).execute(this, content);
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
			return !this.factory.streams || repeatable() || !this.bodyStarted;
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

	private record Bytes(byte[] content) implements StreamingHttpOutputMessage.Body {

		@Override
		public void writeTo(OutputStream outputStream) throws IOException {
			outputStream.write(this.content);
		}

		@Override
		public boolean repeatable() {
			return true;
		}

	}

	/**
	 * The rest of the chain from one interceptor on; executed again by a retry.
	 */
	private static final class Step implements ClientHttpRequestExecution {

		private final LayeredRequest call;

		private final int index;

		private @Nullable Step next;

		Step(LayeredRequest call, int index) {
			this.call = call;
			this.index = index;
		}

		@Override
		public ClientHttpResponse execute(HttpRequest request, byte[] body) throws IOException {
			ClientHttpRequestInterceptor[] interceptors = this.call.factory.interceptors;
			if (this.index < interceptors.length) {
				Step next = this.next;
				if (next == null) {
					next = new Step(this.call, this.index + 1);
					this.next = next;
				}
				return interceptors[this.index].intercept(request, body, next);
			}
			return this.call.factory.transport.exchange(this.call, request, this.call.factory.streams ? null : body);
		}

	}

}
