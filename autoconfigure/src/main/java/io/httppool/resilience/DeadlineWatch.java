package io.httppool.resilience;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * Interrupts the calling thread of a blocking call when its deadline passes, so that a
 * {@code RestClient} attempt (Reactor's blocking wait, which then cancels the exchange)
 * or a backoff (Resilience4j's sleep) ends at the deadline. Armed for the whole call on
 * the application's {@link DeadlineTimer}; the state machine makes sure the interrupt is
 * always cleared before the call returns or throws.
 *
 * <p>
 * Why an interrupt: Spring's {@code ReactorClientHttpRequest} blocks on the exchange
 * without a timeout and takes no per-request one, so nothing else can end an attempt in
 * flight at the call's deadline.
 */
final class DeadlineWatch implements Runnable {

	private static final int ARMED = 0;

	private static final int INTERRUPTING = 1;

	private static final int FIRED = 2;

	private static final int STOPPED = 3;

	private final Thread thread = Thread.currentThread();

	private final AtomicInteger state = new AtomicInteger(ARMED);

	private final Disposable timer;

	DeadlineWatch(Scheduler timer, long timeoutNanos) {
		this.timer = timer.schedule(this, timeoutNanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void run() {
		if (this.state.compareAndSet(ARMED, INTERRUPTING)) {
			this.thread.interrupt();
			this.state.set(FIRED);
		}
	}

	/**
	 * Whether the deadline has passed.
	 * @return whether the watch fired
	 */
	boolean fired() {
		int state = this.state.get();
		return state == INTERRUPTING || state == FIRED;
	}

	/**
	 * Stop watching, clearing the interrupt the watch may have delivered.
	 */
	void stop() {
		if (this.state.compareAndSet(ARMED, STOPPED)) {
			this.timer.dispose();
			return;
		}
		while (this.state.get() == INTERRUPTING) {
			Thread.onSpinWait();
		}
		Thread.interrupted();
	}

}
