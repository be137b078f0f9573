package io.httppool.ratelimit;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.httppool.HttpPoolClientSettings;
import io.httppool.HttpPoolRateLimitedException;
import io.httppool.HttpPoolRateLimitedException.Reason;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;

/**
 * Paces the calls of one client to its upstream's quota with a Bucket4j token bucket,
 * built once per client. The quota is {@code rate-limit.requests-per-period} per
 * {@code rate-limit.period} when set, and otherwise learned from the upstream's
 * rate-limit headers (see {@link RateLimitHeaders}); until it is known, calls pass
 * untouched. Whatever the source, the bucket also follows what each response says is left
 * ({@code remaining} before {@code reset}) and pauses after a 429's {@code Retry-After}.
 *
 * <p>
 * A call takes a token at once when one is there; otherwise it reserves the next one and
 * waits, without a thread, until its time comes, at most {@code rate-limit.max-wait},
 * with at most {@code rate-limit.max-queued} calls of this replica waiting at once;
 * beyond either it fails with {@link HttpPoolRateLimitedException}. A cancelled wait
 * gives its token back.
 *
 * <p>
 * With {@code rate-limit.store=redis} the bucket lives in Redis and every replica draws
 * from it; while Redis is unreachable each call falls back as
 * {@code rate-limit.redis-fallback} says, and the next call that reaches Redis ends the
 * fallback.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public final class HttpPoolRateLimiter {

	private static final Log logger = LogFactory.getLog(HttpPoolRateLimiter.class);

	private static final CompletableFuture<Void> GO = CompletableFuture.completedFuture(null);

	private final String clientName;

	private final HttpPoolClientSettings.RateLimit settings;

	private final String prefix;

	private final ScheduledExecutorService scheduler;

	private final @Nullable RemoteBuckets remoteBuckets;

	private final long maxWaitNanos;

	private static final long WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

	private final LongAdder waits = new LongAdder();

	private final AtomicInteger queued = new AtomicInteger();

	private final LongAdder rejections = new LongAdder();

	private final LongAdder fallbacks = new LongAdder();

	private volatile @Nullable Quota quota;

	private volatile @Nullable RateLimitBucket bucket;

	private volatile @Nullable RateLimitBucket fallback;

	private volatile RateLimitBucket.@Nullable Pace fallbackPace;

	private volatile boolean onFallback;

	private volatile long pausedUntilNanos;

	/**
	 * Create a limiter.
	 * @param clientName the client name
	 * @param settings the client's rate-limit settings
	 * @param scheduler wakes waiting calls up; it only completes futures
	 * @param remoteBuckets the shared store of {@code rate-limit.store=redis}, or
	 * {@code null} for a bucket in this process
	 */
	public HttpPoolRateLimiter(String clientName, HttpPoolClientSettings.RateLimit settings,
			ScheduledExecutorService scheduler, @Nullable RemoteBuckets remoteBuckets) {
		this.clientName = clientName;
		this.settings = settings;
		this.prefix = "http.pool.clients." + clientName + ".rate-limit.";
		this.scheduler = scheduler;
		this.remoteBuckets = remoteBuckets;
		this.maxWaitNanos = settings.maxWait().toNanos();
		Integer requests = settings.requestsPerPeriod();
		if (requests != null) {
			apply(new Quota(requests, settings.period(), false));
		}
	}

	/**
	 * Return the name of the client this limiter paces.
	 * @return the client name
	 */
	public String clientName() {
		return this.clientName;
	}

	/**
	 * Wait for the turn of one attempt.
	 * @return a future that completes when the attempt may go, or exceptionally with
	 * {@link HttpPoolRateLimitedException}; cancel it to give the turn back
	 */
	public CompletableFuture<Void> acquire() {
		RateLimitBucket bucket = this.bucket;
		long pause = pauseNanos();
		if (pause == 0 && (bucket == null || (!this.onFallback && bucket.tryConsumeNow()))) {
			return GO;
		}
		if (pause > this.maxWaitNanos) {
			return reject(Reason.MAX_WAIT,
					"the upstream answered 429 and asked to wait " + Duration.ofNanos(pause).toMillis()
							+ " ms more (Retry-After), longer than " + this.prefix + "max-wait ("
							+ this.settings.maxWait() + ")");
		}
		if (this.queued.get() >= this.settings.maxQueued()) {
			return reject(Reason.QUEUE_FULL, this.settings.maxQueued() + " calls already wait for their turn ("
					+ this.prefix + "max-queued; quota " + describeQuota() + ")");
		}
		Turn turn = new Turn();
		this.queued.incrementAndGet();
		turn.whenComplete((result, ex) -> this.queued.decrementAndGet());
		if (pause > 0) {
			this.scheduler.schedule(() -> reserve(turn), pause, TimeUnit.NANOSECONDS);
		}
		else {
			reserve(turn);
		}
		return turn;
	}

	private void reserve(Turn turn) {
		RateLimitBucket bucket = this.bucket;
		if (turn.isDone()) {
			return;
		}
		if (bucket == null) {
			turn.granted(null);
			return;
		}
		CompletableFuture<Boolean> reservation = bucket.tryConsume(turn.remainingWaitNanos(), this.scheduler);
		turn.reserving(bucket, reservation);
		reservation.whenComplete((granted, ex) -> {
			if (ex == null) {
				endFallback(bucket);
				onReservation(turn, bucket, granted);
			}
			else {
				fallBack(turn, ex);
			}
		});
	}

	private void fallBack(Turn turn, Throwable failure) {
		Throwable ex = (failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null)
				? failure.getCause() : failure;
		if (!this.onFallback) {
			this.onFallback = true;
			this.fallbacks.increment();
			logger.warn("Rate-limit store of HTTP pool '" + this.clientName + "' is unreachable (" + ex + "); "
					+ ((this.settings.redisFallback() == HttpPoolClientSettings.RedisFallback.REJECT)
							? "rejecting calls" : "pacing to this replica's share")
					+ " (" + this.prefix + "redis-fallback="
					+ this.settings.redisFallback().name().toLowerCase().replace('_', '-') + ") until it is back");
		}
		RateLimitBucket fallback = fallbackBucket();
		if (fallback == null) {
			this.rejections.increment();
			turn.completeExceptionally(rejection(Reason.STORE_UNAVAILABLE, "the Redis bucket is unreachable and "
					+ this.prefix + "redis-fallback is reject (" + ex.getClass().getSimpleName() + ")"));
			return;
		}
		if (fallback.tryConsumeNow()) {
			turn.granted(fallback);
			return;
		}
		CompletableFuture<Boolean> reservation = fallback.tryConsume(turn.remainingWaitNanos(), this.scheduler);
		turn.reserving(fallback, reservation);
		reservation.whenComplete((granted, error) -> onReservation(turn, fallback, Boolean.TRUE.equals(granted)));
	}

	private synchronized @Nullable RateLimitBucket fallbackBucket() {
		RateLimitBucket.Pace pace = this.fallbackPace;
		if (this.fallback == null && pace != null) {
			// built when first needed, empty: the shared bucket may just have been
			// drained
			this.fallback = RateLimitBucket.localStartingEmpty(pace);
		}
		return this.fallback;
	}

	private void endFallback(RateLimitBucket bucket) {
		if (this.onFallback && bucket instanceof RateLimitBucket.RemoteRateLimitBucket) {
			this.onFallback = false;
			logger.info("Rate-limit store of HTTP pool '" + this.clientName + "' is reachable again");
		}
	}

	private void onReservation(Turn turn, RateLimitBucket bucket, boolean granted) {
		if (granted) {
			turn.granted(bucket);
			return;
		}
		this.rejections.increment();
		turn.completeExceptionally(rejection(Reason.MAX_WAIT, "a call would wait more than " + this.settings.maxWait()
				+ " for its turn (" + this.prefix + "max-wait; quota " + describeQuota() + ")"));
	}

	private CompletableFuture<Void> reject(Reason reason, String detail) {
		this.rejections.increment();
		return CompletableFuture.failedFuture(rejection(reason, detail));
	}

	private HttpPoolRateLimitedException rejection(Reason reason, String detail) {
		return new HttpPoolRateLimitedException(this.clientName, reason, detail);
	}

	private long pauseNanos() {
		long until = this.pausedUntilNanos;
		if (until == 0) {
			return 0;
		}
		long left = until - System.nanoTime();
		return Math.max(0, left);
	}

	/**
	 * Learn from a response: its quota (unless {@code requests-per-period} is set), what
	 * is left of it, and a 429's {@code Retry-After}.
	 * @param status the response status
	 * @param headers the response headers
	 */
	public void onResponse(int status, HttpHeaders headers) {
		RateLimitHeaders.Observation observation = RateLimitHeaders.parse(status, headers, System.currentTimeMillis());
		if (observation == null) {
			return;
		}
		Quota quota = this.quota;
		if (observation.limit() > 0 && this.settings.requestsPerPeriod() == null) {
			Duration window = (observation.windowMillis() > 0) ? Duration.ofMillis(observation.windowMillis())
					: this.settings.period();
			if (quota == null || quota.requests() != observation.limit() || !quota.period().equals(window)) {
				apply(new Quota(observation.limit(), window, true));
			}
		}
		RateLimitBucket bucket = activeBucket();
		if (bucket == null) {
			if (observation.retryAfterMillis() >= 0) {
				pause(observation.retryAfterMillis());
			}
			return;
		}
		RateLimitBucket.Pace pace = bucket.pace();
		if (observation.remaining() >= 0) {
			long remaining = (bucket instanceof RateLimitBucket.RemoteRateLimitBucket) ? observation.remaining()
					: observation.remaining() / this.settings.replicas();
			// tokens left now plus those refilled before the reset must not exceed what
			// the upstream has left; a bucket holds at most burst() tokens, so only a
			// tighter upstream needs a correction
			long allowed = remaining - pace.tokensOver(observation.resetMillis());
			if (allowed < pace.burst()) {
				bucket.limitTo(allowed);
			}
		}
		if (observation.retryAfterMillis() >= 0) {
			pause(observation.retryAfterMillis());
			bucket.limitTo(-pace.tokensOver(observation.retryAfterMillis()));
		}
	}

	private void pause(long millis) {
		long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
		if (until - this.pausedUntilNanos > 0 || this.pausedUntilNanos == 0) {
			this.pausedUntilNanos = until;
		}
	}

	private @Nullable RateLimitBucket activeBucket() {
		RateLimitBucket fallback = this.fallback;
		return (this.onFallback && fallback != null) ? fallback : this.bucket;
	}

	private synchronized void apply(Quota quota) {
		long share = Math.max(1, quota.requests() / this.settings.replicas());
		RateLimitBucket.Pace local = new RateLimitBucket.Pace(share, quota.period());
		if (this.remoteBuckets == null) {
			this.bucket = RateLimitBucket.local(local);
		}
		else {
			RateLimitBucket.Pace shared = new RateLimitBucket.Pace(quota.requests(), quota.period());
			// the quota is part of the key: a new quota is a new bucket, on every replica
			String key = this.settings.key() + ":" + quota.requests() + ":" + quota.period().toMillis();
			this.fallbackPace = (this.settings.redisFallback() == HttpPoolClientSettings.RedisFallback.PER_REPLICA)
					? local : null;
			this.fallback = null;
			this.bucket = RateLimitBucket.remote(shared,
					this.remoteBuckets.bucket(key, shared.configuration(), this.settings.maxWait()));
		}
		this.quota = quota;
		if (quota.learned()) {
			logger.info("HTTP pool '" + this.clientName + "' paces to the upstream's quota of " + quota.requests()
					+ " requests per " + quota.period() + ", learned from its response headers");
		}
	}

	private String describeQuota() {
		Quota quota = this.quota;
		if (quota == null) {
			return "not known yet";
		}
		String share = (this.remoteBuckets == null || this.onFallback) && this.settings.replicas() > 1
				? ", this replica's share of " + this.settings.replicas() + " (" + this.prefix + "replicas)" : "";
		return quota.requests() + " per " + quota.period() + share + ", "
				+ (quota.learned() ? "learned from response headers" : this.prefix + "requests-per-period");
	}

	/**
	 * Return the limiter's current state, for health, the endpoint and the meters. Local
	 * state only: never a network call.
	 * @return the state
	 */
	public RateLimitState state() {
		Quota quota = this.quota;
		return new RateLimitState(this.settings.store().name().toLowerCase(), (quota != null) ? quota.requests() : null,
				(quota != null) ? quota.period() : null,
				(quota == null) ? RateLimitState.SOURCE_NONE
						: quota.learned() ? RateLimitState.SOURCE_HEADERS : RateLimitState.SOURCE_CONFIGURED,
				this.onFallback, this.queued.get(), this.waits.sum(), this.rejections.sum(), this.fallbacks.sum());
	}

	/**
	 * Return whether the shared store is unreachable and calls follow
	 * {@code rate-limit.redis-fallback}.
	 * @return whether the limiter is on its fallback
	 */
	public boolean isOnFallback() {
		return this.onFallback;
	}

	/**
	 * Return the calls that waited 1 ms or more for their turn since start (with a Redis
	 * bucket, its round trip counts).
	 * @return the count
	 */
	public long waits() {
		return this.waits.sum();
	}

	/**
	 * Return the calls refused since start.
	 * @return the count
	 */
	public long rejections() {
		return this.rejections.sum();
	}

	/**
	 * Return the calls waiting for their turn now.
	 * @return the count
	 */
	public int queued() {
		return this.queued.get();
	}

	@Override
	public String toString() {
		return "HttpPoolRateLimiter[" + this.clientName + ", " + describeQuota() + "]";
	}

	/**
	 * A quota in force: requests per period, configured or learned.
	 */
	private record Quota(long requests, Duration period, boolean learned) {

	}

	/**
	 * The wait of one call: completes when its token is due, and gives the token back
	 * when cancelled first: at once when the bucket is local (its reservation is known to
	 * be made), once the reservation answers when it is remote.
	 */
	private final class Turn extends CompletableFuture<Void> {

		private final long start = System.nanoTime();

		private @Nullable RateLimitBucket reserved;

		private boolean refunded;

		long remainingWaitNanos() {
			return Math.max(1, HttpPoolRateLimiter.this.maxWaitNanos - (System.nanoTime() - this.start));
		}

		/**
		 * Note a reservation in flight: a local one that is not done yet holds a token
		 * that comes due later.
		 */
		void reserving(RateLimitBucket bucket, CompletableFuture<Boolean> reservation) {
			if (!(bucket instanceof RateLimitBucket.LocalRateLimitBucket) || reservation.isDone()) {
				return;
			}
			boolean refund;
			synchronized (this) {
				refund = isCancelled() && !this.refunded;
				this.refunded = this.refunded || refund;
				this.reserved = bucket;
			}
			if (refund) {
				bucket.refund();
			}
		}

		void granted(@Nullable RateLimitBucket bucket) {
			boolean refund;
			synchronized (this) {
				refund = bucket != null && isCancelled() && !this.refunded;
				this.refunded = this.refunded || refund;
			}
			if (refund && bucket != null) {
				bucket.refund();
			}
			else if (complete(null) && System.nanoTime() - this.start >= WAIT_NANOS) {
				HttpPoolRateLimiter.this.waits.increment();
			}
		}

		@Override
		public boolean cancel(boolean mayInterruptIfRunning) {
			boolean cancelled;
			RateLimitBucket refund;
			synchronized (this) {
				cancelled = super.cancel(false);
				refund = (cancelled && !this.refunded) ? this.reserved : null;
				this.refunded = this.refunded || refund != null;
			}
			if (refund != null) {
				refund.refund();
			}
			return cancelled;
		}

	}

}
