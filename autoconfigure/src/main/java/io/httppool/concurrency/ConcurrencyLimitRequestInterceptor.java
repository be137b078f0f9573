package io.httppool.concurrency;

import java.io.IOException;

import io.httppool.StreamingRequestInterceptor;

import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Applies a client's {@link AdaptiveConcurrencyLimit} to each attempt of its
 * {@code RestClient}: an attempt beyond the limit fails at once with a
 * {@link io.httppool.HttpPoolConcurrencyLimitException}; an admitted one holds its slot
 * until its response headers arrive or it fails. Installed after the resilience
 * interceptor, so that retries are attempts of their own.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public final class ConcurrencyLimitRequestInterceptor implements StreamingRequestInterceptor {

	private final AdaptiveConcurrencyLimit limit;

	/**
	 * Create an interceptor.
	 * @param limit the client's limit
	 */
	public ConcurrencyLimitRequestInterceptor(AdaptiveConcurrencyLimit limit) {
		this.limit = limit;
	}

	@Override
	public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
			throws IOException {
		AdaptiveConcurrencyLimit.Slot slot = this.limit.acquire();
		try {
			ClientHttpResponse response = execution.execute(request, body);
			slot.onResponse(response.getStatusCode().value());
			return response;
		}
		catch (IOException | RuntimeException | Error ex) {
			slot.onError(ex);
			throw ex;
		}
		finally {
			slot.release();
		}
	}

	@Override
	public String toString() {
		return "ConcurrencyLimitRequestInterceptor[" + this.limit.clientName() + "]";
	}

}
