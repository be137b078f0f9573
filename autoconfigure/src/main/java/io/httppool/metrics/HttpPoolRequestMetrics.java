package io.httppool.metrics;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.httppool.Causes;
import io.httppool.HttpPoolAttemptRecorder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.noop.NoopTimer;
import io.netty.channel.ChannelException;
import io.netty.channel.ConnectTimeoutException;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpMethod;

/**
 * Records the {@value HttpPoolMeters#REQUESTS} timer of one client: one sample per
 * attempt, from the moment the attempt is handed to the transport (before it asks the
 * pool for a connection) until the response headers arrive, or until it fails. It is the
 * client's {@link HttpPoolAttemptRecorder}: the client's guard, which every attempt of
 * its {@code WebClient}, {@code RestClient} and HTTP service groups passes, calls it when
 * an attempt ends, in the same call that counts the attempt for the {@code httppools}
 * endpoint. No hook on the Reactor Netty client and no Reactor operator of its own.
 *
 * <p>
 * Tags are bounded: {@value HttpPoolMeters#CLIENT}, {@value HttpPoolMeters#METHOD},
 * {@value HttpPoolMeters#STATUS} and {@value HttpPoolMeters#OUTCOME}; no URI and no
 * remote address. Timers are registered on first use and then cached per method and
 * status, so an attempt costs an array read and the timer's own recording, with no string
 * building.
 *
 * <p>
 * An attempt cancelled by its caller before the response headers arrive (for example by
 * an overall deadline) is not recorded: it has no outcome to tell.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public final class HttpPoolRequestMetrics implements HttpPoolAttemptRecorder {

	private static final HttpMethod[] STANDARD_METHODS = { HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST,
			HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE, HttpMethod.OPTIONS, HttpMethod.TRACE,
			HttpMethod.valueOf("CONNECT") };

	private static final String[] METHODS = { "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE",
			"CONNECT", HttpPoolMeters.OTHER_METHOD };

	private static final int OTHER_METHOD_INDEX = METHODS.length - 1;

	private static final int MAX_STATUS = 599;

	private static final int TIMEOUT_SLOT = MAX_STATUS + 1;

	private static final int IO_ERROR_SLOT = MAX_STATUS + 2;

	private static final int CLIENT_ERROR_SLOT = MAX_STATUS + 3;

	private static final int SLOTS = MAX_STATUS + 4;

	private static final Duration[] SLO_BOUNDARIES = HttpPoolMeters.REQUEST_SLO_BOUNDARIES.toArray(Duration[]::new);

	private final String clientName;

	private final MeterRegistry registry;

	private final AtomicReferenceArray<@Nullable AtomicReferenceArray<@Nullable Timer>> timers = new AtomicReferenceArray<>(
			METHODS.length);

	/**
	 * Create the request metrics of one client.
	 * @param clientName the client name
	 * @param registry the registry to record into
	 */
	public HttpPoolRequestMetrics(String clientName, MeterRegistry registry) {
		this.clientName = clientName;
		this.registry = registry;
	}

	/**
	 * Whether the given registry records the {@value HttpPoolMeters#REQUESTS} timer of
	 * the given client, asked of the registry itself: its meter filters (Spring Boot's
	 * {@code management.metrics.enable.*} among them) decide. The probe timer it
	 * registers for that is removed again.
	 * @param registry the registry
	 * @param clientName the client name
	 * @return {@code false} if the registry denies the timer
	 */
	public static boolean isEnabled(MeterRegistry registry, String clientName) {
		Timer probe = builder(clientName, METHODS[0], 200).register(registry);
		if (probe instanceof NoopTimer) {
			return false;
		}
		if (probe.count() == 0) {
			registry.remove(probe);
		}
		return true;
	}

	@Override
	public void responded(HttpMethod method, int status, long nanos) {
		record(method, (status >= 100 && status <= MAX_STATUS) ? status : CLIENT_ERROR_SLOT, nanos);
	}

	@Override
	public void failed(HttpMethod method, Throwable failure, long nanos) {
		record(method, failureSlot(failure), nanos);
	}

	private void record(HttpMethod method, int slot, long nanos) {
		timer(methodIndex(method), slot).record(nanos, TimeUnit.NANOSECONDS);
	}

	private Timer timer(int method, int slot) {
		AtomicReferenceArray<@Nullable Timer> byStatus = this.timers.get(method);
		if (byStatus == null) {
			this.timers.compareAndSet(method, null, new AtomicReferenceArray<>(SLOTS));
			byStatus = this.timers.get(method);
		}
		Timer timer = byStatus.get(slot);
		if (timer == null) {
			// the registry returns the same timer for the same id: a race costs nothing
			timer = register(METHODS[method], slot);
			byStatus.lazySet(slot, timer);
		}
		return timer;
	}

	private Timer register(String method, int slot) {
		return builder(this.clientName, method, slot).register(this.registry);
	}

	private static Timer.Builder builder(String clientName, String method, int slot) {
		return Timer.builder(HttpPoolMeters.REQUESTS)
			.description("Attempts on the wire, from pool acquire to response headers or failure")
			.tags(tags(clientName, method, status(slot), outcome(slot)))
			.serviceLevelObjectives(SLO_BOUNDARIES);
	}

	private static Tags tags(String clientName, String method, String status, String outcome) {
		return Tags.of(HttpPoolMeters.CLIENT, clientName, HttpPoolMeters.METHOD, method, HttpPoolMeters.STATUS, status,
				HttpPoolMeters.OUTCOME, outcome);
	}

	// Spring's standard methods are constants: equals answers by identity for them
	private static int methodIndex(HttpMethod method) {
		for (int i = 0; i < STANDARD_METHODS.length; i++) {
			if (STANDARD_METHODS[i].equals(method)) {
				return i;
			}
		}
		return OTHER_METHOD_INDEX;
	}

	static String status(int slot) {
		return switch (slot) {
			case TIMEOUT_SLOT -> HttpPoolMeters.STATUS_TIMEOUT;
			case IO_ERROR_SLOT -> HttpPoolMeters.STATUS_IO_ERROR;
			case CLIENT_ERROR_SLOT -> HttpPoolMeters.STATUS_CLIENT_ERROR;
			default -> Integer.toString(slot);
		};
	}

	static String outcome(int slot) {
		if (slot < 100 || slot > MAX_STATUS) {
			return "UNKNOWN";
		}
		return switch (slot / 100) {
			case 1 -> "INFORMATIONAL";
			case 2 -> "SUCCESS";
			case 3 -> "REDIRECTION";
			case 4 -> "CLIENT_ERROR";
			default -> "SERVER_ERROR";
		};
	}

	static int failureSlot(Throwable error) {
		// pool acquire timeouts are java.util.concurrent.TimeoutExceptions; response,
		// read
		// and write timeouts Netty's
		if (causedBy(error, TimeoutException.class) || causedBy(error, io.netty.handler.timeout.TimeoutException.class)
				|| causedBy(error, ConnectTimeoutException.class) || causedBy(error, SocketTimeoutException.class)) {
			return TIMEOUT_SLOT;
		}
		if (causedBy(error, IOException.class) || causedBy(error, ChannelException.class)) {
			return IO_ERROR_SLOT;
		}
		return CLIENT_ERROR_SLOT;
	}

	private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
		return Causes.find(error, type) != null;
	}

}
