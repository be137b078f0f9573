package io.httppool.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Consumer;

import io.github.bucket4j.Bucket;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A {@link io.httppool.test.TestUpstream} handler that enforces a quota the way a
 * provider does and answers 429 with {@code Retry-After} beyond it: either strictly, more
 * than {@code limit} accepted requests in any sliding window, or as a token bucket of
 * {@code limit} per window with bursts up to {@code limit} (Bucket4j), as most providers
 * and gateways count. It records when each request arrived, so that a test asserts what
 * the upstream saw.
 */
final class QuotaUpstream implements BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> {

	private final int limit;

	private final long windowNanos;

	private final List<Long> accepted = new ArrayList<>();

	private final AtomicInteger rejected = new AtomicInteger();

	private final @Nullable Bucket tokenBucket;

	private volatile Consumer<HttpServerResponse> headers = (response) -> {
	};

	private QuotaUpstream(int limit, Duration window, boolean tokenBucket) {
		this.limit = limit;
		this.windowNanos = window.toNanos();
		this.tokenBucket = tokenBucket ? Bucket.builder()
			.addLimit((bandwidth) -> bandwidth.capacity(limit).refillGreedy(limit, window))
			.build() : null;
	}

	/**
	 * An upstream that allows {@code limit} requests in any sliding window.
	 */
	static QuotaUpstream slidingWindow(int limit, Duration window) {
		return new QuotaUpstream(limit, window, false);
	}

	/**
	 * An upstream that allows {@code limit} requests per window, in bursts of up to
	 * {@code limit}.
	 */
	static QuotaUpstream tokenBucket(int limit, Duration window) {
		return new QuotaUpstream(limit, window, true);
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
			accept = (this.tokenBucket != null) ? this.tokenBucket.tryConsume(1) : inWindow < this.limit;
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

	/**
	 * Forget the arrivals so far (after a warm-up); the quota itself keeps counting.
	 */
	void forgetArrivals() {
		synchronized (this.accepted) {
			this.accepted.clear();
		}
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
