package io.httppool.resilience;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;

/**
 * Interrupts the calling thread when a call's deadline passes while it is blocked in an
 * attempt or a backoff ("armed"). The state machine makes sure an interrupt is delivered
 * only while armed and is always cleared before the thread moves on.
 */
final class DeadlineWatch implements Runnable {

	private static final int DISARMED = 0;

	private static final int ARMED = 1;

	private static final int INTERRUPTING = 2;

	private static final int FIRED = 3;

	private final Thread thread = Thread.currentThread();

	private final AtomicInteger state = new AtomicInteger(DISARMED);

	private volatile boolean interrupted;

	private final Disposable timer;

	private DeadlineWatch(long timeoutNanos) {
		this.timer = Schedulers.parallel().schedule(this, timeoutNanos, TimeUnit.NANOSECONDS);
	}

	static DeadlineWatch start(long timeoutNanos) {
		return new DeadlineWatch(timeoutNanos);
	}

	@Override
	public void run() {
		while (true) {
			int current = this.state.get();
			if (current == ARMED) {
				if (this.state.compareAndSet(ARMED, INTERRUPTING)) {
					this.interrupted = true;
					this.thread.interrupt();
					this.state.set(FIRED);
					return;
				}
			}
			else if (current == DISARMED) {
				if (this.state.compareAndSet(DISARMED, FIRED)) {
					return;
				}
			}
			else {
				return;
			}
		}
	}

	/**
	 * Arm before blocking.
	 * @return {@code false} if the deadline has already passed
	 */
	boolean arm() {
		return this.state.compareAndSet(DISARMED, ARMED);
	}

	/**
	 * Disarm after blocking, clearing the interrupt the watch may have delivered.
	 * @return whether the deadline passed while armed
	 */
	boolean disarm() {
		if (this.state.compareAndSet(ARMED, DISARMED)) {
			return false;
		}
		while (this.state.get() == INTERRUPTING) {
			Thread.onSpinWait();
		}
		if (this.interrupted) {
			this.interrupted = false;
			Thread.interrupted();
		}
		return this.state.get() == FIRED;
	}

	/**
	 * Whether the deadline has passed.
	 * @return whether the watch fired
	 */
	boolean fired() {
		return this.state.get() == FIRED;
	}

	void stop() {
		this.timer.dispose();
		disarm();
	}

}
