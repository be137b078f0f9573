package io.httppool.sample.transcription;

import java.util.concurrent.atomic.AtomicInteger;

import io.httppool.HttpPoolClientCustomizer;
import io.httppool.HttpPoolClientSettings;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientInfos;
import reactor.util.context.Context;

import org.springframework.stereotype.Component;

/**
 * Counts the requests that one chunk really put on the wire, retries included, and the
 * protocol they travelled on. {@link SpeechToTextClient} puts an instance in the Reactor
 * context of each chunk's request; the {@link Counter} reads it back at the network
 * level.
 *
 * @author http-pool team
 */
final class UpstreamAttempts {

	private final AtomicInteger sent = new AtomicInteger();

	private volatile @Nullable String protocol;

	Context addTo(Context context) {
		return context.put(UpstreamAttempts.class, this);
	}

	int sent() {
		return this.sent.get();
	}

	@Nullable String protocol() {
		return this.protocol;
	}

	private static @Nullable UpstreamAttempts in(HttpClientInfos exchange) {
		return exchange.currentContextView().getOrDefault(UpstreamAttempts.class, null);
	}

	/**
	 * Hooks the counting into every pooled client. It works on the Reactor Netty client,
	 * below all {@code WebClient} filters, so it sees each attempt that the starter's
	 * retry filter makes, whatever order the filters are in, and the protocol actually
	 * spoken.
	 */
	@Component
	static class Counter implements HttpPoolClientCustomizer {

		@Override
		public HttpClient customizeHttpClient(HttpPoolClientSettings settings, HttpClient httpClient) {
			return httpClient.doOnRequest((request, connection) -> {
				UpstreamAttempts attempts = in(request);
				if (attempts != null) {
					attempts.sent.incrementAndGet();
				}
			}).doOnResponse((response, connection) -> {
				UpstreamAttempts attempts = in(response);
				if (attempts != null) {
					attempts.protocol = response.version().text();
				}
			});
		}

	}

}
