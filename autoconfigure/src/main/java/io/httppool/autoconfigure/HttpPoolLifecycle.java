package io.httppool.autoconfigure;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import io.httppool.HttpPoolClients;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * Shuts the pools down after the web server: its phase is below the web server's graceful
 * shutdown and stop phases, so an inbound request still in flight when shutdown begins
 * can complete its outbound calls. Then new requests fail fast and in-flight ones get
 * {@code http.pool.shutdown-timeout} to finish.
 *
 * @author http-pool team
 */
class HttpPoolLifecycle implements SmartLifecycle, DisposableBean {

	/**
	 * Phase of this lifecycle: below the web server's graceful shutdown
	 * ({@code Integer.MAX_VALUE - 1024}) and start/stop
	 * ({@code Integer.MAX_VALUE - 2048}) phases, so that it stops after them.
	 */
	static final int PHASE = Integer.MAX_VALUE - 4096;

	private final HttpPoolClients clients;

	private final Duration shutdownTimeout;

	private final AtomicBoolean running = new AtomicBoolean();

	private final AtomicBoolean shutDown = new AtomicBoolean();

	HttpPoolLifecycle(HttpPoolClients clients, Duration shutdownTimeout) {
		this.clients = clients;
		this.shutdownTimeout = shutdownTimeout;
	}

	@Override
	public void start() {
		this.running.set(true);
	}

	@Override
	public void stop() {
		shutdown();
		this.running.set(false);
	}

	@Override
	public boolean isRunning() {
		return this.running.get();
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * Not stopped when the context pauses (as the test context cache pauses contexts it
	 * does not use): a shut-down pool does not come back, and a paused context is
	 * resumed.
	 * @return {@code false}
	 */
	@Override
	public boolean isPauseable() {
		return false;
	}

	@Override
	public void destroy() {
		shutdown();
	}

	private void shutdown() {
		if (this.shutDown.compareAndSet(false, true)) {
			this.clients.shutdown(this.shutdownTimeout);
		}
	}

}
