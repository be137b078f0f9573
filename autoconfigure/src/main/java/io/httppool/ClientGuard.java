package io.httppool;

import java.io.IOException;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;

/**
 * Refuses requests once the client shuts down, hands every failure of an exchange to the
 * caller typed, naming the client, and sees every attempt end. Failures are typed:
 * Reactor Netty's pool errors as {@link HttpPoolExhaustedException}, timeouts as
 * {@link HttpPoolTimeoutException} (see {@link TypedTimeouts}), the starter's own
 * exceptions raised inside Reactor Netty unwrapped from the {@code IOException} and
 * Spring exception that carry them, and other transport failures as
 * {@link HttpPoolTransportException} (see {@link TransportFailures}). Installed
 * innermost, next to the network, on both the {@code WebClient} and the
 * {@code RestClient} of a client, so every retry passes it as an attempt of its own.
 *
 * <p>
 * Every attempt that ends (response headers or failure) is handed to the client's
 * {@link Attempts}, which counts it and records it. The {@code RestClient} path costs a
 * clock read at most; an attempt the call's deadline cancels is not reported, on either
 * path. The {@code WebClient} path costs one {@link GuardedAttempt} operator per attempt,
 * which both types the failure and ends the attempt (it replaces the error mapping
 * operator that was there anyway), and no lambda: the function that types body failures
 * is built once per client.
 */
final class ClientGuard implements ExchangeFilterFunction, StreamingRequestInterceptor {

	// Reactor Netty shades reactor-pool: match by simple name, not by internal type
	private static final String PENDING_LIMIT = "PoolAcquirePendingLimitException";

	private static final String ACQUIRE_TIMEOUT = "PoolAcquireTimeoutException";

	// replaced when the pool is resized: the exhausted message names the current sizes
	private volatile HttpPoolClientSettings settings;

	private final TypedTimeouts timeouts;

	private final Attempts attempts;

	// built once per client: a lambda made per response would allocate per response
	private final Function<Throwable, Flux<DataBuffer>> bodyFailure = (ex) -> Flux.error(typed(ex));

	private volatile boolean shuttingDown;

	ClientGuard(HttpPoolClientSettings settings, TypedTimeouts timeouts, Attempts attempts) {
		this.settings = settings;
		this.timeouts = timeouts;
		this.attempts = attempts;
	}

	void shutdown() {
		this.shuttingDown = true;
	}

	void resized(HttpPoolClientSettings settings) {
		this.settings = settings;
	}

	boolean isShuttingDown() {
		return this.shuttingDown;
	}

	private @Nullable HttpPoolShutdownException rejectIfShuttingDown() {
		return this.shuttingDown ? new HttpPoolShutdownException(this.settings.name()) : null;
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		HttpPoolShutdownException rejected = rejectIfShuttingDown();
		if (rejected != null) {
			return Mono.error(rejected);
		}
		return GuardedAttempt.of(next.exchange(request), this, request.method());
	}

	/**
	 * The function that types a failure of a response body, for
	 * {@code Flux.onErrorResume}; one per client.
	 */
	Function<Throwable, Flux<DataBuffer>> bodyFailure() {
		return this.bodyFailure;
	}

	@Override
	public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
			throws IOException {
		HttpPoolShutdownException rejected = rejectIfShuttingDown();
		if (rejected != null) {
			throw rejected;
		}
		HttpMethod method = request.getMethod();
		long start = this.attempts.started();
		ClientHttpResponse response;
		try {
			response = execution.execute(request, body);
		}
		catch (HttpPoolDeadlineExceededException ex) {
			// cut short by the call's deadline, which cancelled it: not an attempt that
			// ended, as on the WebClient, where the deadline cancels it
			throw ex;
		}
		catch (IOException | RuntimeException ex) {
			this.attempts.failed(method, ex, start);
			if (isTranslatable(ex)) {
				throw translate(ex);
			}
			throw ex;
		}
		this.attempts.responded(method, response.getStatusCode().value(), start);
		return GuardedResponses.guard(response, this);
	}

	Attempts attempts() {
		return this.attempts;
	}

	/**
	 * Return the typed exception for a failure that {@link #isTranslatable(Throwable)},
	 * the failure itself otherwise.
	 */
	Throwable typed(Throwable ex) {
		return isTranslatable(ex) ? translate(ex) : ex;
	}

	static boolean isTranslatable(Throwable ex) {
		return poolCause(ex) != null || TypedTimeouts.isTimeout(ex) || TransportFailures.own(ex) != null
				|| TransportFailures.find(ex) != null;
	}

	/**
	 * Return the typed exception for a failure that {@link #isTranslatable(Throwable)}.
	 */
	HttpPoolException translate(Throwable ex) {
		Throwable cause = poolCause(ex);
		if (cause != null) {
			return exhausted(cause, ex);
		}
		HttpPoolTimeoutException timeout = this.timeouts.find(ex);
		if (timeout != null) {
			return timeout;
		}
		HttpPoolException own = TransportFailures.own(ex);
		if (own != null) {
			return own;
		}
		TransportFailures.Found found = TransportFailures.find(ex);
		return (found != null) ? new HttpPoolTransportException(this.settings.name(), found.failure(), found.cause())
				: new HttpPoolTransportException(this.settings.name(), HttpPoolTransportException.Failure.IO, ex);
	}

	private HttpPoolExhaustedException exhausted(Throwable cause, Throwable ex) {
		HttpPoolClientSettings.Pool pool = this.settings.pool();
		boolean queueFull = PENDING_LIMIT.equals(cause.getClass().getSimpleName());
		String prefix = "http.pool.clients." + this.settings.name() + ".";
		String detail = queueFull
				? "all connections are busy and " + pool.pendingAcquireMaxCount() + " requests already wait (" + prefix
						+ "pending-acquire-max-count)"
				: "no connection became free within " + pool.pendingAcquireTimeout() + " (" + prefix
						+ "pending-acquire-timeout)";
		return new HttpPoolExhaustedException(this.settings.name(), queueFull,
				detail + "; " + prefix + "max-connections=" + pool.maxConnections(), ex);
	}

	static @Nullable Throwable poolCause(Throwable ex) {
		for (Throwable candidate : Causes.of(ex)) {
			String name = candidate.getClass().getSimpleName();
			if (PENDING_LIMIT.equals(name) || ACQUIRE_TIMEOUT.equals(name)) {
				return candidate;
			}
		}
		return null;
	}

}
