package io.httppool.resilience;

import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.httppool.HttpPoolDeadlineExceededException;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SynchronousSink;

import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.support.ClientResponseWrapper;

/**
 * One {@code WebClient} call across its attempts, and the callbacks of one attempt:
 * <ul>
 * <li>{@link Supplier}: starts an attempt ({@code Mono.defer}) under the remaining
 * deadline, inside Resilience4j's breaker operator;</li>
 * <li>{@link BiConsumer}: a response the breaker has seen ({@code handle}): a status from
 * {@code retry.on-statuses} goes on to the retry as a {@link RetryableResult};</li>
 * <li>{@link Function}: a failure the breaker has seen ({@code onErrorResume}): sent
 * again at once when a connection rotation caught it unsent, otherwise handed to the
 * retry as an {@link AttemptFailure}.</li>
 * </ul>
 */
final class WebCall extends CallState implements Supplier<Mono<ClientResponse>>,
		BiConsumer<ClientResponse, SynchronousSink<ClientResponse>>, Function<Throwable, Mono<ClientResponse>> {

	private final ClientRequest request;

	private final ExchangeFunction next;

	private final DeadlineTimer timer;

	WebCall(ResiliencePolicy policy, ClientRequest request, ExchangeFunction next, DeadlineTimer timer) {
		super(policy, request.method(), request.headers());
		this.request = request;
		this.next = next;
		this.timer = timer;
	}

	/**
	 * Return one attempt, its re-sends included.
	 */
	Mono<ClientResponse> attempt() {
		Mono<ClientResponse> attempt = Mono.defer(this);
		CircuitBreakerOperator<ClientResponse> breaker = this.policy.breakerOperator;
		if (breaker != null) {
			attempt = attempt.transform(breaker);
		}
		return attempt.handle(this).onErrorResume(this);
	}

	@Override
	public Mono<ClientResponse> get() {
		startAttempt();
		Mono<ClientResponse> exchange = this.next.exchange(this.request);
		if (this.policy.timeoutNanos > 0) {
			// the deadline runs inside the breaker, which counts an attempt it cut short
			long remaining = this.policy.remainingNanos(this);
			if (remaining <= 0) {
				return Mono.error(this.policy.deadlineExceeded(this));
			}
			exchange = AttemptDeadline.of(exchange, this, remaining, this.timer);
		}
		return exchange;
	}

	@Override
	public void accept(ClientResponse response, SynchronousSink<ClientResponse> sink) {
		int status = response.statusCode().value();
		this.policy.onResponse(status);
		if (this.policy.retry != null && this.policy.isRetryStatus(status)) {
			HttpStatusFailure failure = this.policy.statusFailure(this, status, response.headers().asHttpHeaders());
			sink.next(new Retryable(new RetryableResult.Status(this, failure), response));
		}
		else {
			sink.next(response);
		}
	}

	@Override
	public Mono<ClientResponse> apply(Throwable failure) {
		if (failure instanceof CallNotPermittedException) {
			return Mono.error(this.policy.circuitOpen(this));
		}
		if (failure instanceof HttpPoolDeadlineExceededException) {
			this.policy.onDeadline();
			return Mono.error(failure);
		}
		FailureKind kind = this.policy.onFailure(this, failure);
		if (this.policy.retry == null) {
			return Mono.error(failure);
		}
		if (kind == FailureKind.NOT_PROCESSED) {
			long delay = this.policy.planResend(this, failure);
			if (delay == 0) {
				return attempt();
			}
			if (delay > 0) {
				return Mono.delay(Duration.ofMillis(delay), this.timer).then(attempt());
			}
		}
		return Mono.error(new AttemptFailure(this, failure, kind));
	}

	/**
	 * A response whose status may be retried; the caller gets it as is when retries stop.
	 */
	private static final class Retryable extends ClientResponseWrapper implements RetryableResult {

		private final Status status;

		Retryable(Status status, ClientResponse response) {
			super(response);
			this.status = status;
		}

		@Override
		public Status status() {
			return this.status;
		}

		@Override
		public void discard() {
			// a retry follows: free the connection (Resilience4j drops the response)
			response().releaseBody().subscribe();
		}

	}

}
