package io.httppool.resilience;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.ExchangeStrategies;

/**
 * One {@code WebClient} call across its attempts. To keep the per-call allocations to one
 * object, the call is itself the callbacks of its Reactor chain:
 * <ul>
 * <li>{@link Supplier}: starts an attempt ({@code Mono.defer});</li>
 * <li>{@link Function}: handles an attempt's error ({@code onErrorResume}) and then its
 * response ({@code flatMap}); an error to retry becomes the {@link #RETRY} marker, so
 * that the next attempt runs downstream of this attempt's handlers;</li>
 * <li>{@link Runnable}: the attempt was cancelled ({@code doOnCancel});</li>
 * <li>{@link Consumer}: the call ended ({@code doFinally}, bulkhead only).</li>
 * </ul>
 */
final class WebCall extends CallState implements Supplier<Mono<ClientResponse>>, Function<Object, Mono<ClientResponse>>,
		Runnable, Consumer<SignalType> {

	/**
	 * Marker emitted in place of a response when the failed attempt is to be retried.
	 */
	static final ClientResponse RETRY = ClientResponse
		.create(HttpStatus.SERVICE_UNAVAILABLE, ExchangeStrategies.empty().build())
		.build();

	private static final AtomicIntegerFieldUpdater<WebCall> IN_FLIGHT = AtomicIntegerFieldUpdater
		.newUpdater(WebCall.class, "inFlight");

	private final ResiliencePolicy policy;

	private final ClientRequest request;

	private final ExchangeFunction next;

	private volatile int inFlight;

	private long retryDelayMillis;

	WebCall(ResiliencePolicy policy, ClientRequest request, ExchangeFunction next) {
		super(policy);
		this.policy = policy;
		this.request = request;
		this.next = next;
	}

	/**
	 * Start an attempt.
	 */
	@Override
	public Mono<ClientResponse> get() {
		if (!this.policy.tryAcquireAttempt(this)) {
			return Mono.error(this.policy.circuitOpen(this));
		}
		IN_FLIGHT.lazySet(this, 1);
		return this.next.exchange(this.request).doOnCancel(this).onErrorResume(this).flatMap(this);
	}

	/**
	 * Handle the outcome of an attempt: an error (from {@code onErrorResume}), then a
	 * response or the {@link #RETRY} marker (from {@code flatMap}).
	 */
	@Override
	public Mono<ClientResponse> apply(Object outcome) {
		if (outcome instanceof Throwable error) {
			return onError(error);
		}
		ClientResponse response = (ClientResponse) outcome;
		if (response == RETRY) {
			return retryLater();
		}
		return onResponse(response);
	}

	private Mono<ClientResponse> onError(Throwable error) {
		if (!IN_FLIGHT.compareAndSet(this, 1, 0)) {
			return Mono.error(error);
		}
		HttpHeaders headers = this.request.headers();
		long delay = this.policy.onError(this, error, this.request.method(), headers);
		if (delay < 0) {
			return Mono.error(error);
		}
		this.retryDelayMillis = delay;
		return Mono.just(RETRY);
	}

	private Mono<ClientResponse> onResponse(ClientResponse response) {
		IN_FLIGHT.compareAndSet(this, 1, 0);
		int status = response.statusCode().value();
		if (!this.policy.isRetryStatus(status)) {
			this.policy.onResponse(this, status, this.request.method());
			return Mono.just(response);
		}
		long retryAfter = (status == 429 || status == 503)
				? RetryAfter.parseMillis(response.headers().asHttpHeaders().getFirst(HttpHeaders.RETRY_AFTER),
						System.currentTimeMillis())
				: RetryAfter.NONE;
		HttpStatusFailure failure = new HttpStatusFailure(this.request.method().name(), status, retryAfter);
		long delay = this.policy.onRetryStatus(this, failure, this.request.method(), this.request.headers());
		if (delay < 0) {
			return Mono.just(response);
		}
		this.retryDelayMillis = delay;
		return response.releaseBody().then(retryLater());
	}

	private Mono<ClientResponse> retryLater() {
		long delay = this.retryDelayMillis;
		Mono<ClientResponse> attempt = Mono.defer(this);
		return (delay > 0) ? Mono.delay(Duration.ofMillis(delay)).then(attempt) : attempt;
	}

	/**
	 * The attempt was cancelled: by the deadline or by the caller.
	 */
	@Override
	public void run() {
		if (IN_FLIGHT.compareAndSet(this, 1, 0)) {
			this.policy.onCancel(this, this.policy.deadlinePassed(this));
		}
	}

	/**
	 * The call ended.
	 */
	@Override
	public void accept(SignalType signal) {
		this.policy.releaseBulkhead();
	}

	Throwable deadlineExceeded() {
		return this.policy.deadlineExceeded(this);
	}

}
