package io.httppool;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.function.Function;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.http.client.reactive.ClientHttpResponseDecorator;

/**
 * Types the failures that happen while a response body streams, after the exchange
 * filters and interceptors have returned: a connector for the {@code WebClient} and a
 * response wrapper for the {@code RestClient}, both asking the client's
 * {@link ClientGuard}.
 */
final class GuardedResponses {

	private GuardedResponses() {
	}

	/**
	 * Wrap a {@code WebClient} connector so that the body of each of its responses
	 * reports transport failures typed.
	 * @param connector the connector
	 * @param guard the client's guard
	 * @return the wrapped connector
	 */
	static ClientHttpConnector guard(ClientHttpConnector connector, ClientGuard guard) {
		return new GuardedConnector(connector, guard);
	}

	/**
	 * Wrap a {@code RestClient} response so that reading its body reports transport
	 * failures typed.
	 * @param response the response
	 * @param guard the client's guard
	 * @return the wrapped response
	 */
	static ClientHttpResponse guard(ClientHttpResponse response, ClientGuard guard) {
		return new GuardedResponse(response, guard);
	}

	private static final class GuardedConnector implements ClientHttpConnector {

		private final ClientHttpConnector delegate;

		private final ClientGuard guard;

		// built once: a capturing lambda per response would allocate per response
		private final Function<org.springframework.http.client.reactive.ClientHttpResponse, org.springframework.http.client.reactive.ClientHttpResponse> wrap;

		GuardedConnector(ClientHttpConnector delegate, ClientGuard guard) {
			this.delegate = delegate;
			this.guard = guard;
			this.wrap = (response) -> new GuardedReactiveResponse(response, this.guard);
		}

		@Override
		public Mono<org.springframework.http.client.reactive.ClientHttpResponse> connect(HttpMethod method, URI uri,
				Function<? super ClientHttpRequest, Mono<Void>> requestCallback) {
			return this.delegate.connect(method, uri, requestCallback).map(this.wrap);
		}

	}

	private static final class GuardedReactiveResponse extends ClientHttpResponseDecorator {

		private final ClientGuard guard;

		GuardedReactiveResponse(org.springframework.http.client.reactive.ClientHttpResponse delegate,
				ClientGuard guard) {
			super(delegate);
			this.guard = guard;
		}

		@Override
		public Flux<DataBuffer> getBody() {
			return getDelegate().getBody().onErrorResume(this.guard.bodyFailure());
		}

	}

	private static final class GuardedResponse implements ClientHttpResponse {

		private final ClientHttpResponse delegate;

		private final ClientGuard guard;

		GuardedResponse(ClientHttpResponse delegate, ClientGuard guard) {
			this.delegate = delegate;
			this.guard = guard;
		}

		@Override
		public HttpStatusCode getStatusCode() throws IOException {
			return this.delegate.getStatusCode();
		}

		@Override
		public String getStatusText() throws IOException {
			return this.delegate.getStatusText();
		}

		@Override
		public HttpHeaders getHeaders() {
			return this.delegate.getHeaders();
		}

		@Override
		public InputStream getBody() throws IOException {
			try {
				return new GuardedInputStream(this.delegate.getBody(), this.guard);
			}
			catch (IOException ex) {
				throw typed(ex, this.guard);
			}
			catch (RuntimeException ex) {
				throw typed(ex, this.guard);
			}
		}

		@Override
		public void close() {
			this.delegate.close();
		}

	}

	private static final class GuardedInputStream extends FilterInputStream {

		private final ClientGuard guard;

		GuardedInputStream(InputStream in, ClientGuard guard) {
			super(in);
			this.guard = guard;
		}

		@Override
		public int read() throws IOException {
			try {
				return super.read();
			}
			catch (IOException ex) {
				throw typed(ex, this.guard);
			}
			catch (RuntimeException ex) {
				throw typed(ex, this.guard);
			}
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			try {
				return super.read(buffer, offset, length);
			}
			catch (IOException ex) {
				throw typed(ex, this.guard);
			}
			catch (RuntimeException ex) {
				throw typed(ex, this.guard);
			}
		}

	}

	// a runtime exception passes Spring's message converters as is
	private static <E extends Exception> E typed(E ex, ClientGuard guard) {
		if (ClientGuard.isTranslatable(ex)) {
			throw guard.translate(ex);
		}
		return ex;
	}

}
