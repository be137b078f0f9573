package io.httppool.metrics;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.httppool.Causes;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.netty.channel.ChannelException;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.HttpMethod;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientRequest;
import reactor.netty.http.client.HttpClientResponse;
import reactor.util.context.ContextView;

/**
 * Records the {@value HttpPoolMeters#REQUESTS} timer of one client: one sample per
 * attempt on the wire, from the moment the attempt asks the pool for a connection until
 * the response headers arrive, or until it fails. It hooks into the Reactor Netty
 * {@link HttpClient} the client's {@code WebClient}, {@code RestClient} and HTTP service
 * groups share, so all of them are measured once, and every retry is its own attempt.
 *
 * <p>
 * Tags are bounded: {@value HttpPoolMeters#CLIENT}, {@value HttpPoolMeters#METHOD},
 * {@value HttpPoolMeters#STATUS} and {@value HttpPoolMeters#OUTCOME}; no URI and no
 * remote address. Timers are registered on first use and then cached per method and
 * status, so a request costs a context lookup, an array read and the timer's own
 * recording, with no string building.
 *
 * <p>
 * An attempt cancelled by its caller before the response headers arrive (for example by
 * an overall deadline) is not recorded: it has no outcome to tell.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public final class HttpPoolRequestMetrics {

	private static final String ATTEMPT = HttpPoolRequestMetrics.class.getName() + ".attempt";

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
	 * Return the given client with the hooks that time every attempt. Reactor Netty
	 * composes these hooks with any others, including its own metrics.
	 * @param httpClient the client to instrument
	 * @return the instrumented client
	 */
	public HttpClient instrument(HttpClient httpClient) {
		return httpClient.mapConnect(HttpPoolRequestMetrics::startAttempt)
			.doOnResponse(this::responseReceived)
			.doOnRequestError(this::attemptFailed);
	}

	// The connect Mono of Reactor Netty spans one attempt: pool acquire, connect, send,
	// and the wait for the response headers. Its context is what the hooks see.
	private static Mono<? extends Connection> startAttempt(Mono<? extends Connection> connect) {
		return Mono.defer(() -> {
			Attempt attempt = new Attempt(System.nanoTime());
			return connect.contextWrite((context) -> context.put(ATTEMPT, attempt));
		});
	}

	private void responseReceived(HttpClientResponse response, Connection connection) {
		Attempt attempt = attempt(response.currentContextView());
		if (attempt != null && attempt.complete()) {
			int status = response.status().code();
			record(attempt, response.method(), (status >= 100 && status <= MAX_STATUS) ? status : CLIENT_ERROR_SLOT);
		}
	}

	private void attemptFailed(HttpClientRequest request, Throwable error) {
		Attempt attempt = attempt(request.currentContextView());
		if (attempt != null && attempt.complete()) {
			record(attempt, request.method(), failureSlot(error));
		}
	}

	private static @Nullable Attempt attempt(ContextView context) {
		return context.getOrDefault(ATTEMPT, null);
	}

	private void record(Attempt attempt, HttpMethod method, int slot) {
		long elapsed = System.nanoTime() - attempt.startNanos;
		timer(methodIndex(method), slot).record(elapsed, TimeUnit.NANOSECONDS);
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
		return Timer.builder(HttpPoolMeters.REQUESTS)
			.description("Attempts on the wire, from pool acquire to response headers or failure")
			.tags(Tags.of(HttpPoolMeters.CLIENT, this.clientName, HttpPoolMeters.METHOD, method, HttpPoolMeters.STATUS,
					status(slot), HttpPoolMeters.OUTCOME, outcome(slot)))
			.serviceLevelObjectives(SLO_BOUNDARIES)
			.register(this.registry);
	}

	private static int methodIndex(HttpMethod method) {
		String name = method.name();
		for (int i = 0; i < OTHER_METHOD_INDEX; i++) {
			if (METHODS[i].equals(name)) {
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

	/**
	 * One attempt: when it started and whether it was recorded.
	 */
	private static final class Attempt {

		final long startNanos;

		private volatile boolean completed;

		Attempt(long startNanos) {
			this.startNanos = startNanos;
		}

		// hooks of one attempt run one after the other; the flag only guards against a
		// second terminal hook for the same attempt
		boolean complete() {
			if (this.completed) {
				return false;
			}
			this.completed = true;
			return true;
		}

	}

}
