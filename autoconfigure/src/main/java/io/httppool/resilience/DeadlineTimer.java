package io.httppool.resilience;

import java.util.concurrent.TimeUnit;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.TimerTask;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The clock of every deadline of the clients of one application: one Netty
 * {@link HashedWheelTimer} (one thread, a 10 ms tick). A {@code WebClient} attempt's
 * {@link AttemptDeadline} arms it directly ({@link #arm}); the {@code RestClient}'s
 * deadline and the re-send delays see it as a Reactor {@link Scheduler}. Arming a
 * deadline adds it to the wheel's lock-free queue and cancelling it marks it; neither
 * takes a lock nor wakes a thread, unlike a task per call on
 * {@code Schedulers.parallel()} (a {@code ScheduledThreadPoolExecutor} and its locked
 * delay queue). A deadline fires up to one tick late.
 */
final class DeadlineTimer implements Scheduler {

	private static final long TICK_MILLIS = 10;

	private final HashedWheelTimer timer = new HashedWheelTimer(new DefaultThreadFactory("http-pool-deadlines", true),
			TICK_MILLIS, TimeUnit.MILLISECONDS, 512, false);

	@Override
	public Disposable schedule(Runnable task) {
		return schedule(task, 0, TimeUnit.NANOSECONDS);
	}

	@Override
	public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
		Task scheduled = new Task(task);
		try {
			scheduled.timeout = this.timer.newTimeout(scheduled, delay, unit);
		}
		catch (IllegalStateException ex) {
			// stopped with the application context, while calls made during its shutdown
			// still run: their deadlines still hold
			return Schedulers.parallel().schedule(task, delay, unit);
		}
		return scheduled;
	}

	/**
	 * Arm a task of the caller's own, without the wrapper {@link #schedule} makes.
	 * @return the armed timeout, or {@code null} once the timer was stopped
	 */
	@Nullable Timeout arm(TimerTask task, long delayNanos) {
		try {
			return this.timer.newTimeout(task, delayNanos, TimeUnit.NANOSECONDS);
		}
		catch (IllegalStateException ex) {
			return null;
		}
	}

	@Override
	public Worker createWorker() {
		// Mono.delay and the RestClient's deadline schedule directly; a worker is never
		// used on the
		// request path
		throw new UnsupportedOperationException("the deadline timer of http-pool only runs delayed tasks");
	}

	@Override
	public void dispose() {
		this.timer.stop();
	}

	@Override
	public String toString() {
		return "DeadlineTimer";
	}

	private static final class Task implements TimerTask, Disposable {

		private final Runnable task;

		volatile @Nullable Timeout timeout;

		Task(Runnable task) {
			this.task = task;
		}

		@Override
		public void run(Timeout timeout) {
			this.task.run();
		}

		@Override
		public void dispose() {
			Timeout timeout = this.timeout;
			if (timeout != null) {
				timeout.cancel();
			}
		}

		@Override
		public boolean isDisposed() {
			Timeout timeout = this.timeout;
			return timeout != null && (timeout.isCancelled() || timeout.isExpired());
		}

	}

}
