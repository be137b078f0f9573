package io.httppool;

import java.io.IOException;
import java.util.function.Function;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;

/**
 * Refuses requests once the client shuts down, turns Reactor Netty's pool errors into
 * {@link HttpPoolExhaustedException} and hands timeouts to the caller as
 * {@link HttpPoolTimeoutException}: unwrapped from Spring's
 * {@code WebClientRequestException} or {@code ResourceAccessException} cause, or built
 * from Netty's {@code ConnectTimeoutException} (see {@link TypedTimeouts}). Installed
 * innermost, next to the network, on both the {@code WebClient} and the
 * {@code RestClient} of a client; on the happy path it costs one volatile read.
 */
final class ClientGuard implements ExchangeFilterFunction, ClientHttpRequestInterceptor {

	// Reactor Netty shades reactor-pool: match by simple name, not by internal type
	private static final String PENDING_LIMIT = "PoolAcquirePendingLimitException";

	private static final String ACQUIRE_TIMEOUT = "PoolAcquireTimeoutException";

	private final HttpPoolClientSettings settings;

	private final TypedTimeouts timeouts;

	// built once: a method reference evaluated per request would allocate per request
	private final Predicate<Throwable> isGuarded = ClientGuard::isGuarded;

	private final Function<Throwable, Throwable> translate = this::translateAny;

	private volatile boolean shuttingDown;

	ClientGuard(HttpPoolClientSettings settings, TypedTimeouts timeouts) {
		this.settings = settings;
		this.timeouts = timeouts;
	}

	void shutdown() {
		this.shuttingDown = true;
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
		return next.exchange(request).onErrorMap(this.isGuarded, this.translate);
	}

	@Override
	public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
			throws IOException {
		HttpPoolShutdownException rejected = rejectIfShuttingDown();
		if (rejected != null) {
			throw rejected;
		}
		try {
			return execution.execute(request, body);
		}
		catch (IOException ex) {
			if (isPoolError(ex)) {
				throw translate(ex);
			}
			HttpPoolTimeoutException timeout = TypedTimeouts.isTimeout(ex) ? this.timeouts.find(ex) : null;
			if (timeout != null) {
				throw timeout;
			}
			throw ex;
		}
	}

	private static boolean isGuarded(Throwable ex) {
		return isPoolError(ex) || TypedTimeouts.isTimeout(ex);
	}

	private Throwable translateAny(Throwable ex) {
		if (isPoolError(ex)) {
			return translate(ex);
		}
		HttpPoolTimeoutException timeout = this.timeouts.find(ex);
		return (timeout != null) ? timeout : ex;
	}

	private static boolean isPoolError(Throwable ex) {
		return poolCause(ex) != null;
	}

	private HttpPoolExhaustedException translate(Throwable ex) {
		Throwable cause = poolCause(ex);
		HttpPoolClientSettings.Pool pool = this.settings.pool();
		boolean queueFull = cause != null && PENDING_LIMIT.equals(cause.getClass().getSimpleName());
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
		for (Throwable candidate = ex; candidate != null; candidate = candidate.getCause()) {
			String name = candidate.getClass().getSimpleName();
			if (PENDING_LIMIT.equals(name) || ACQUIRE_TIMEOUT.equals(name)) {
				return candidate;
			}
			if (candidate.getCause() == candidate) {
				break;
			}
		}
		return null;
	}

}
