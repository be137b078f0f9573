package io.httppool.resilience;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.ClientResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RetriedCall} drives Resilience4j's {@code Retry} the way its
 * {@code RetryOperator} does: what Resilience4j counts, the wait it asks for, the outcome
 * the caller sees, and a cancelled call that stops retrying.
 */
class RetriedCallTests {

	private final AtomicInteger attempts = new AtomicInteger();

	@AfterEach
	void resetTime() {
		VirtualTimeScheduler.reset();
	}

	@Test
	void whenTheFirstAttemptSucceedsResilience4jCountsACallWithoutRetry() {
		Retry retry = retry(3, Duration.ofMillis(10));
		StepVerifier.create(RetriedCall.of(attempt(0, 0), retry))
			.expectNextMatches((response) -> response.statusCode() == HttpStatus.OK)
			.expectComplete()
			.verify(Duration.ofSeconds(5));
		assertThat(this.attempts).hasValue(1);
		assertThat(retry.getMetrics().getNumberOfSuccessfulCallsWithoutRetryAttempt()).isEqualTo(1);
		assertThat(retry.getMetrics().getNumberOfTotalCalls()).isEqualTo(1);
	}

	@Test
	void whenFailuresAndARetriedResultPrecedeASuccessEachIsAnAttemptAfterTheWait() {
		Retry retry = retry(4, Duration.ofMillis(100));
		StepVerifier.withVirtualTime(() -> RetriedCall.of(attempt(1, 1), retry))
			.expectSubscription()
			.expectNoEvent(Duration.ofMillis(99))
			.thenAwait(Duration.ofMillis(1))
			.expectNoEvent(Duration.ofMillis(99))
			.thenAwait(Duration.ofMillis(1))
			.expectNextMatches((response) -> response.statusCode() == HttpStatus.OK)
			.expectComplete()
			.verify(Duration.ofSeconds(5));
		assertThat(this.attempts).hasValue(3);
		assertThat(retry.getMetrics().getNumberOfSuccessfulCallsWithRetryAttempt()).isEqualTo(1);
	}

	@Test
	void whenAttemptsRunOutTheLastFailureReachesTheCallerAsIs() {
		Retry retry = retry(2, Duration.ofMillis(10));
		StepVerifier.withVirtualTime(() -> RetriedCall.of(attempt(5, 0), retry))
			.expectSubscription()
			.thenAwait(Duration.ofMillis(10))
			.expectErrorMatches((failure) -> failure instanceof IOException && failure.getMessage().equals("attempt 2"))
			.verify(Duration.ofSeconds(5));
		assertThat(this.attempts).hasValue(2);
		assertThat(retry.getMetrics().getNumberOfFailedCallsWithRetryAttempt()).isEqualTo(1);
	}

	@Test
	void whenTheCallerCancelsDuringTheWaitNoFurtherAttemptIsMade() {
		VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
		Retry retry = retry(3, Duration.ofMillis(100));
		Disposable call = RetriedCall.of(attempt(5, 0), retry).subscribe((response) -> {
		}, (failure) -> {
		});
		time.advanceTimeBy(Duration.ofMillis(50));
		assertThat(this.attempts).hasValue(1);
		call.dispose();
		time.advanceTimeBy(Duration.ofSeconds(1));
		assertThat(this.attempts).hasValue(1);
	}

	private Retry retry(int maxAttempts, Duration wait) {
		return Retry.of("test",
				RetryConfig.<ClientResponse>custom()
					.maxAttempts(maxAttempts)
					.waitDuration(wait)
					.retryExceptions(IOException.class)
					.retryOnResult((response) -> response.statusCode().is5xxServerError())
					.failAfterMaxAttempts(false)
					.build());
	}

	// fails the first attempts, then answers 503 the next ones, then 200
	private Mono<ClientResponse> attempt(int failures, int unavailable) {
		return Mono.defer(() -> {
			int attempt = this.attempts.incrementAndGet();
			if (attempt <= failures) {
				return Mono.error(new IOException("attempt " + attempt));
			}
			HttpStatus status = (attempt <= failures + unavailable) ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK;
			return Mono.just(ClientResponse.create(status).build());
		});
	}

}
