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
	static final byte[] STREAMED = new byte[0];

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

	/**
	 * Run a call's interceptors, then its attempts.
	 */
	ClientHttpResponse execute(LayeredRequest call, byte[] content) throws IOException {
		return new Step(call, 0).execute(call, content);
	}

	@Override
	public org.springframework.http.client.ClientHttpRequest createRequest(URI uri, HttpMethod httpMethod) {
		return new LayeredRequest(this, uri, httpMethod);
	}

	record Bytes(byte[] content) implements StreamingHttpOutputMessage.Body {

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
	private final class Step implements ClientHttpRequestExecution {

		private final LayeredRequest call;

		private final int index;

		private @Nullable Step next;

		Step(LayeredRequest call, int index) {
			this.call = call;
			this.index = index;
		}

		@Override
		public ClientHttpResponse execute(HttpRequest request, byte[] body) throws IOException {
			ClientHttpRequestInterceptor[] interceptors = LayeredRequestFactory.this.interceptors;
			if (this.index < interceptors.length) {
				Step next = this.next;
				if (next == null) {
					next = new Step(this.call, this.index + 1);
					this.next = next;
				}
				return interceptors[this.index].intercept(request, body, next);
			}
			// a streamed body (the placeholder) is the call's; an array is sent as it is
			return LayeredRequestFactory.this.transport.exchange(this.call, request, (body != STREAMED) ? body : null);
		}

	}

}
