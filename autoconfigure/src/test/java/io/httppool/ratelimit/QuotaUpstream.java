package io.httppool.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Consumer;

import io.netty.handler.codec.http.HttpResponseStatus;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A {@link io.httppool.test.TestUpstream} handler that enforces a quota the way a
 * provider does: more than {@code limit} accepted requests in any sliding window answers
 * 429 with {@code Retry-After}. It records when each request arrived, so that a test
 * asserts what the upstream saw.
 */
final class QuotaUpstream implements BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> {

	private final int limit;

	private final long windowNanos;

	private final List<Long> accepted = new ArrayList<>();

	private final AtomicInteger rejected = new AtomicInteger();

	private volatile Consumer<HttpServerResponse> headers = (response) -> {
	};

	QuotaUpstream(int limit, Duration window) {
		this.limit = limit;
		this.windowNanos = window.toNanos();
	}

	/**
	 * Add headers to every accepted response.
	 */
	QuotaUpstream withHeaders(Consumer<HttpServerResponse> headers) {
		this.headers = headers;
		return this;
	}

	@Override
	public Publisher<Void> apply(HttpServerRequest request, HttpServerResponse response) {
		long now = System.nanoTime();
		boolean accept;
		synchronized (this.accepted) {
			long inWindow = this.accepted.stream().filter((at) -> now - at < this.windowNanos).count();
			accept = inWindow < this.limit;
			if (accept) {
				this.accepted.add(now);
			}
		}
		if (!accept) {
			this.rejected.incrementAndGet();
			return response.status(HttpResponseStatus.TOO_MANY_REQUESTS)
				.header("Retry-After", "1")
				.sendString(Mono.just("slow down"));
		}
		this.headers.accept(response);
		return response.sendString(Mono.just("ok"));
	}

	int rejected() {
		return this.rejected.get();
	}

	int accepted() {
		synchronized (this.accepted) {
			return this.accepted.size();
		}
	}

	List<Long> arrivals() {
		synchronized (this.accepted) {
			return new ArrayList<>(this.accepted);
		}
	}

	/**
	 * The most accepted requests that arrived within any window of the given length.
	 */
	int maxInAnyWindow(Duration window) {
		List<Long> arrivals = arrivals();
		Collections.sort(arrivals);
		int max = 0;
		int start = 0;
		for (int end = 0; end < arrivals.size(); end++) {
			while (arrivals.get(end) - arrivals.get(start) >= window.toNanos()) {
				start++;
			}
			max = Math.max(max, end - start + 1);
		}
		return max;
	}

}
