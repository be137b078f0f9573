package io.httppool.resilience;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.httppool.HttpPoolClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.context.ApplicationContext;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The retry budget under steady concurrent load against an upstream that answers 503 to
 * everything: retries add at most {@code retry.budget} of the first attempts.
 */
class RetryBudgetTests extends WireMockTests {

	private static final int CALLS = 600;

	private static final int CONCURRENCY = 16;

	@BeforeEach
	void stubs() {
		server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503)));
	}

	private static int received() {
		return server.countRequestsMatching(anyRequestedFor(anyUrl()).build()).getCount();
	}

	private static void load(ApplicationContext context, int calls) {
		HttpPoolClient client = ResilienceTesting.client(context);
		Flux.range(0, calls)
			.flatMap((i) -> client.webClient()
				.get()
				.uri("/load")
				.exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode().value()))
				.onErrorReturn(0), CONCURRENCY)
			.blockLast(Duration.ofMinutes(2));
	}

	@Test
	void retriesAddAtMostTheBudgetToAFailingUpstream() {
		ResilienceTesting.runner(server.baseUrl())
			.withPropertyValues(ResilienceTesting.key("circuit-breaker.enabled=false"),
					ResilienceTesting.key("retry.initial-backoff=1ms"))
			.run((context) -> {
				load(context, CALLS);
				double ratio = (double) received() / CALLS;
				System.out.println("attempts per call with a 20% budget: " + ratio);
				assertThat(ratio).isGreaterThan(1.0).isLessThanOrEqualTo(1.25);
				ResilienceTesting.assertNoActiveConnections(context);
			});
	}

	@Test
	void withoutABudgetRetriesTripleTheTraffic() {
		ResilienceTesting.runner(server.baseUrl())
			.withPropertyValues(ResilienceTesting.key("circuit-breaker.enabled=false"),
					ResilienceTesting.key("retry.initial-backoff=1ms"), ResilienceTesting.key("retry.budget=100"))
			.run((context) -> {
				load(context, CALLS);
				double ratio = (double) received() / CALLS;
				assertThat(ratio).isGreaterThan(2.9);
			});
	}

	@Test
	void onceTheBreakerOpensAlmostNothingReachesTheUpstream() {
		ResilienceTesting.runner(server.baseUrl())
			.withPropertyValues(ResilienceTesting.key("retry.initial-backoff=1ms"))
			.run((context) -> {
				CircuitBreaker breaker = context.getBean(CircuitBreakerRegistry.class)
					.circuitBreaker(ResilienceTesting.CLIENT);
				HttpPoolClient client = ResilienceTesting.client(context);
				AtomicLong sentWhenOpened = new AtomicLong(-1);
				breaker.getEventPublisher().onStateTransition((event) -> {
					if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
						sentWhenOpened.compareAndSet(-1, client.state().requests());
					}
				});
				load(context, CALLS);
				assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
				assertThat(sentWhenOpened.get()).isPositive();
				long sentAfterOpening = client.state().requests() - sentWhenOpened.get();
				// only the attempts already in flight when it opened
				assertThat(sentAfterOpening).isLessThanOrEqualTo(CONCURRENCY);
				assertThat((double) received() / CALLS).isLessThan(0.1);
			});
	}

}
