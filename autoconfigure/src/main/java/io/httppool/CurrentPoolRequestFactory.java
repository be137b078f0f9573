package io.httppool;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.StreamingHttpOutputMessage;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpResponse;

/**
 * The {@code RestClient} request factory of a client: each request is created by the
 * request factory of the client's current pool, so the {@code RestClient} follows a
 * resized pool without being rebuilt. The request holds its pool until it has been
 * executed.
 */
final class CurrentPoolRequestFactory implements ClientHttpRequestFactory {

	private final CurrentPool pool;

	CurrentPoolRequestFactory(CurrentPool pool) {
		this.pool = pool;
	}

	@Override
	public ClientHttpRequest createRequest(URI uri, HttpMethod httpMethod) throws IOException {
		PoolGeneration generation = this.pool.enter();
		try {
			return new GenerationRequest(generation.requestFactory().createRequest(uri, httpMethod), generation);
		}
		catch (IOException | RuntimeException ex) {
			generation.exit();
			throw ex;
		}
	}

	// streaming like the request it wraps, so that a body is not buffered
	private static final class GenerationRequest implements ClientHttpRequest, StreamingHttpOutputMessage {

		private final ClientHttpRequest delegate;

		private final PoolGeneration generation;

		private GenerationRequest(ClientHttpRequest delegate, PoolGeneration generation) {
			this.delegate = delegate;
			this.generation = generation;
		}

		@Override
		public ClientHttpResponse execute() throws IOException {
			try {
				return this.delegate.execute();
			}
			finally {
				this.generation.exit();
			}
		}

		@Override
		public OutputStream getBody() throws IOException {
			return this.delegate.getBody();
		}

		@Override
		public void setBody(Body body) {
			((StreamingHttpOutputMessage) this.delegate).setBody(body);
		}

		@Override
		public HttpMethod getMethod() {
			return this.delegate.getMethod();
		}

		@Override
		public URI getURI() {
			return this.delegate.getURI();
		}

		@Override
		public HttpHeaders getHeaders() {
			return this.delegate.getHeaders();
		}

		@Override
		public Map<String, Object> getAttributes() {
			return this.delegate.getAttributes();
		}

	}

}
