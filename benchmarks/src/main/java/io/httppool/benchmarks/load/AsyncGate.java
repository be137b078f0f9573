package io.httppool.benchmarks.load;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;

/**
 * A pool of 20 for a client that has none (the JDK's {@code HttpClient} opens one
 * HTTP/1.1 connection per request in flight): requests beyond the limit wait here, and
 * their wait counts in their latency, as it would in a pool.
 *
 * @author http-pool team
 */
final class AsyncGate {

	private final Semaphore permits;

	private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();

	AsyncGate(int permits) {
		this.permits = new Semaphore(permits);
	}

	void submit(Runnable task) {
		this.waiting.add(task);
		drain();
	}

	void release() {
		this.permits.release();
		drain();
	}

	private void drain() {
		while (!this.waiting.isEmpty() && this.permits.tryAcquire()) {
			Runnable task = this.waiting.poll();
			if (task == null) {
				this.permits.release();
				return;
			}
			task.run();
		}
	}

}
