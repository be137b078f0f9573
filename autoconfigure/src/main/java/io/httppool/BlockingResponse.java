package io.httppool;

import java.io.IOException;
import java.io.InputStream;

import org.jspecify.annotations.Nullable;

import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.util.StreamUtils;

/**
 * A {@code RestClient} response read from the reactive response of the connector: the
 * body is an input stream over the network buffers as they arrive, each released once
 * read. Closing it reads what is left, so that the connection goes back to the pool.
 */
final class BlockingResponse implements ClientHttpResponse {

	// network buffers requested ahead of the reader
	private static final int DEMAND = 16;

	private final org.springframework.http.client.reactive.ClientHttpResponse response;

	private volatile @Nullable InputStream body;

	BlockingResponse(org.springframework.http.client.reactive.ClientHttpResponse response) {
		this.response = response;
	}

	@Override
	public HttpStatusCode getStatusCode() {
		return this.response.getStatusCode();
	}

	@Override
	public String getStatusText() {
		HttpStatus status = HttpStatus.resolve(this.response.getStatusCode().value());
		return (status != null) ? status.getReasonPhrase() : "";
	}

	@Override
	public HttpHeaders getHeaders() {
		return this.response.getHeaders();
	}

	@Override
	public InputStream getBody() {
		InputStream body = this.body;
		if (body == null) {
			body = DataBufferUtils.subscriberInputStream(this.response.getBody(), DEMAND);
			this.body = body;
		}
		return body;
	}

	@Override
	public void close() {
		try (InputStream body = getBody()) {
			StreamUtils.drain(body);
		}
		catch (IOException ex) {
			// the connection is closed instead of reused
		}
	}

}
