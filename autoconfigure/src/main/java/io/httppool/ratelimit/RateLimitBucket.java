package io.httppool.ratelimit;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.AsyncBucketProxy;

/**
 * One Bucket4j bucket paced to one quota, in this process or in Redis. Bucket4j does the
 * limiting; this type only gives both kinds the same few asynchronous operations and
 * holds the pace they were built with.
 *
 * @author http-pool team
 */
abstract class RateLimitBucket {

	private final Pace pace;

	RateLimitBucket(Pace pace) {
		this.pace = pace;
	}

	Pace pace() {
		return this.pace;
	}

	/**
	 * Take a token at once if one is there, without waiting or a network call.
	 * @return whether a token was taken; {@code false} when the bucket is remote
	 */
	abstract boolean tryConsumeNow();

	/**
	 * Reserve a token, completing when the call may go: {@code true} after the wait the
	 * reservation needs, {@code false} at once if that wait would exceed the bound.
	 */
	abstract CompletableFuture<Boolean> tryConsume(long maxWaitNanos, ScheduledExecutorService scheduler);

	/**
	 * Give back the token of a call that was cancelled before it went.
	 */
	abstract void refund();

	/**
	 * Take tokens, into debt if need be, so that at most {@code allowed} remain.
	 */
	abstract void limitTo(long allowed);

	static LocalRateLimitBucket local(Pace pace) {
		return new LocalRateLimitBucket(pace, pace.bandwidth());
	}

	/**
	 * A local bucket that starts empty, for a fallback that takes over from a shared
	 * bucket the replicas may just have drained.
	 */
	static LocalRateLimitBucket localStartingEmpty(Pace pace) {
		return new LocalRateLimitBucket(pace,
				Bandwidth.builder()
					.capacity(pace.burst())
					.refillGreedy(pace.refill(), pace.period())
					.initialTokens(0)
					.build());
	}

	static RemoteRateLimitBucket remote(Pace pace, AsyncBucketProxy bucket) {
		return new RemoteRateLimitBucket(pace, bucket);
	}

	/**
	 * A quota as the bucket applies it: bursts of up to a tenth of the quota (at least
	 * one request), refilled continuously with the rest less a margin of a twentieth (at
	 * least one request) for the jitter between a call's turn and its arrival upstream.
	 * No window of {@code period} then holds more than {@code requests} requests, whether
	 * the upstream counts in fixed windows, sliding windows or with a token bucket of its
	 * own.
	 *
	 * @param requests requests allowed per period
	 * @param period the window
	 */
	record Pace(long requests, Duration period) {

		long burst() {
			return Math.max(1, this.requests / 10);
		}

		long margin() {
			return Math.max(1, this.requests / 20);
		}

		long refill() {
			return Math.max(1, this.requests - burst() - margin());
		}

		/**
		 * Tokens refilled over the given time.
		 */
		long tokensOver(long millis) {
			return (long) Math.ceil((double) refill() * millis / this.period.toMillis());
		}

		Bandwidth bandwidth() {
			return Bandwidth.builder().capacity(burst()).refillGreedy(refill(), this.period).build();
		}

		BucketConfiguration configuration() {
			return BucketConfiguration.builder().addLimit(bandwidth()).build();
		}

		@Override
		public String toString() {
			return this.requests + " per " + this.period;
		}

	}

	static final class LocalRateLimitBucket extends RateLimitBucket {

		private final Bucket bucket;

		LocalRateLimitBucket(Pace pace, Bandwidth bandwidth) {
			super(pace);
			this.bucket = Bucket.builder().addLimit(bandwidth).build();
		}

		@Override
		boolean tryConsumeNow() {
			return this.bucket.tryConsume(1);
		}

		@Override
		CompletableFuture<Boolean> tryConsume(long maxWaitNanos, ScheduledExecutorService scheduler) {
			return this.bucket.asScheduler().tryConsume(1, maxWaitNanos, scheduler);
		}

		@Override
		void refund() {
			this.bucket.addTokens(1);
		}

		@Override
		void limitTo(long allowed) {
			long excess = this.bucket.getAvailableTokens() - allowed;
			if (excess > 0) {
				this.bucket.consumeIgnoringRateLimits(excess);
			}
		}

	}

	static final class RemoteRateLimitBucket extends RateLimitBucket {

		private final AsyncBucketProxy bucket;

		RemoteRateLimitBucket(Pace pace, AsyncBucketProxy bucket) {
			super(pace);
			this.bucket = bucket;
		}

		@Override
		boolean tryConsumeNow() {
			return false;
		}

		@Override
		CompletableFuture<Boolean> tryConsume(long maxWaitNanos, ScheduledExecutorService scheduler) {
			try {
				return this.bucket.asScheduler().tryConsume(1, maxWaitNanos, scheduler);
			}
			catch (RuntimeException ex) {
				// a store that cannot even take the command (not connected)
				return CompletableFuture.failedFuture(ex);
			}
		}

		@Override
		void refund() {
			// best effort: an unreachable store has nothing to give back to
			try {
				this.bucket.addTokens(1).exceptionally((ex) -> null);
			}
			catch (RuntimeException ex) {
				// not connected
			}
		}

		@Override
		void limitTo(long allowed) {
			try {
				limitToAsync(allowed);
			}
			catch (RuntimeException ex) {
				// not connected: the next response corrects the bucket
			}
		}

		private void limitToAsync(long allowed) {
			this.bucket.getAvailableTokens()
				.thenCompose((available) -> (available > allowed)
						? this.bucket.consumeIgnoringRateLimits(available - allowed)
						: CompletableFuture.completedFuture(0L))
				.exceptionally((ex) -> 0L);
		}

	}

}
