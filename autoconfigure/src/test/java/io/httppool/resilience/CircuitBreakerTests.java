package io.httppool.resilience;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import com.github.tomakehurst.wiremock.http.Fault;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.common.circuitbreaker.configuration.CircuitBreakerConfigCustomizer;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.RetryRegistry;
import io.httppool.HttpPoolCircuitOpenException;
import io.httppool.resilience.ResilienceTesting.Flavour;
import io.httppool.resilience.ResilienceTesting.Outcome;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.Disposable;

import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpMethod;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The circuit breaker of a client: what it counts, when it opens, how it recovers.
 */
class CircuitBreakerTests extends WireMockTests {

	@BeforeEach
	void stubs() {
		server.stubFor(any(urlEqualTo("/ok")).willReturn(aResponse().withStatus(200)));
		server.stubFor(any(urlEqualTo("/fail")).willReturn(aResponse().withStatus(500)));
		server.stubFor(any(urlEqualTo("/empty")).willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));
		server.stubFor(any(urlEqualTo("/slow")).willReturn(aResponse().withStatus(200).withFixedDelay(20_000)));
		server.stubFor(any(urlEqualTo("/404")).willReturn(aResponse().withStatus(404)));
		server.stubFor(any(urlEqualTo("/400")).willReturn(aResponse().withStatus(400)));
		server.stubFor(any(urlEqualTo("/422")).willReturn(aResponse().withStatus(422)));
	}

	private static int received() {
		return server.countRequestsMatching(anyRequestedFor(anyUrl()).build()).getCount();
	}

	private static CircuitBreaker breaker(ApplicationContext context) {
		return context.getBean(CircuitBreakerRegistry.class).circuitBreaker(ResilienceTesting.CLIENT);
	}

	private static void open(ApplicationContext context, Flavour flavour) {
		for (int i = 0; i < 5; i++) {
			flavour.call(context, HttpMethod.GET, "/fail");
		}
		assertThat(breaker(context).getState()).isEqualTo(CircuitBreaker.State.OPEN);
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void clientErrorsNeverOpenTheBreaker(Flavour flavour) {
		ResilienceTesting.runner(server.baseUrl()).run((context) -> {
			for (int i = 0; i < 100; i++) {
				for (String path : new String[] { "/404", "/400", "/422" }) {
					assertThat(flavour.call(context, HttpMethod.GET, path).status()).isBetween(400, 499);
				}
			}
			assertThat(received()).isEqualTo(300);
			assertThat(breaker(context).getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		});
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void fiveFailuresInARowOpenTheBreakerButNotFiveInterruptedByASuccess(Flavour flavour) {
		ResilienceTesting.runner(server.baseUrl())
			.withPropertyValues(ResilienceTesting.key("retry.enabled=false"))
			.run((context) -> {
				for (int i = 0; i < 4; i++) {
					flavour.call(context, HttpMethod.GET, "/fail");
				}
				flavour.call(context, HttpMethod.GET, "/ok");
				for (int i = 0; i < 4; i++) {
					flavour.call(context, HttpMethod.GET, "/empty");
				}
				assertThat(breaker(context).getState()).isEqualTo(CircuitBreaker.State.CLOSED);
				flavour.call(context, HttpMethod.GET, "/fail");
				assertThat(breaker(context).getState()).isEqualTo(CircuitBreaker.State.OPEN);
				assertThat(received()).isEqualTo(10);
			});
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void anOpenBreakerFailsFastWithATypedExceptionAndNoRetry(Flavour flavour) {
		ResilienceTesting.runner(server.baseUrl()).run((context) -> {
			open(context, flavour);
			int before = received();
			long retriesBefore = context.getBean(RetryRegistry.class)
				.retry(ResilienceTesting.CLIENT)
				.getMetrics()
				.getNumberOfTotalCalls();
			Outcome outcome = flavour.call(context, HttpMethod.GET, "/ok");
			HttpPoolCircuitOpenException open = outcome.find(HttpPoolCircuitOpenException.class);
			assertThat(open).isNotNull();
			assertThat(open.getClientName()).isEqualTo(ResilienceTesting.CLIENT);
			assertThat(open.getAttempts()).isZero();
			assertThat(open).hasMessageContaining("'up'");
			assertThat(received()).isEqualTo(before);
			// Resilience4j counts one failed call without retry, not three attempts
			assertThat(context.getBean(RetryRegistry.class)
				.retry(ResilienceTesting.CLIENT)
				.getMetrics()
				.getNumberOfTotalCalls()).isEqualTo(retriesBefore + 1);
			ResilienceTesting.assertNoActiveConnections(context);
		});
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void afterTheOpenDurationProbesCloseTheBreaker(Flavour flavour) {
		ResilienceTesting.runner(server.baseUrl())
			.withPropertyValues(ResilienceTesting.key("circuit-breaker.open-duration=500ms"),
					ResilienceTesting.key("circuit-breaker.half-open-calls=2"))
			.run((context) -> {
				open(context, flavour);
				Awaitility.await()
					.atMost(Duration.ofSeconds(10))
					.pollInterval(Duration.ofMillis(100))
					.until(() -> flavour.call(context, HttpMethod.GET, "/ok").status() == 200);
				assertThat(breaker(context).getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
				assertThat(flavour.call(context, HttpMethod.GET, "/ok").status()).isEqualTo(200);
				assertThat(breaker(context).getState()).isEqualTo(CircuitBreaker.State.CLOSED);
			});
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void aFailedProbeReopensTheBreaker(Flavour flavour) {
		ResilienceTesting.runner(server.baseUrl())
			.withPropertyValues(ResilienceTesting.key("circuit-breaker.open-duration=300ms"),
					ResilienceTesting.key("retry.enabled=false"),
					"resilience4j.circuitbreaker.instances.up.automatic-transition-from-open-to-half-open-enabled=true")
			.run((context) -> {
				open(context, flavour);
				Awaitility.await()
					.atMost(Duration.ofSeconds(10))
					.until(() -> breaker(context).getState() == CircuitBreaker.State.HALF_OPEN);
				flavour.call(context, HttpMethod.GET, "/fail");
				assertThat(breaker(context).getState()).isEqualTo(CircuitBreaker.State.OPEN);
			});
	}

	@Test
	void aCancelledHalfOpenProbeDoesNotLeaveTheBreakerStuck() {
		ResilienceTesting.runner(server.baseUrl())
			.withPropertyValues(ResilienceTesting.key("circuit-breaker.open-duration=300ms"),
					ResilienceTesting.key("circuit-breaker.half-open-calls=1"),
					"resilience4j.circuitbreaker.instances.up.automatic-transition-from-open-to-half-open-enabled=true")
			.run((context) -> {
				open(context, Flavour.WEB_CLIENT);
				Awaitility.await()
					.atMost(Duration.ofSeconds(10))
					.until(() -> breaker(context).getState() == CircuitBreaker.State.HALF_OPEN);
				int before = received();
				Disposable probe = ResilienceTesting.client(context)
					.webClient()
					.get()
					.uri("/slow")
					.retrieve()
					.toBodilessEntity()
					.subscribe((entity) -> {
					}, (error) -> {
					});
				Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> received() == before + 1);
				probe.dispose();
				// the only probe slot is free again: the next call is let through and
				// closes the breaker
				assertThat(Flavour.WEB_CLIENT.call(context, HttpMethod.GET, "/ok").status()).isEqualTo(200);
				assertThat(breaker(context).getState()).isEqualTo(CircuitBreaker.State.CLOSED);
				assertThat(breaker(context).getCircuitBreakerConfig().getMaxWaitDurationInHalfOpenState())
					.isEqualTo(Duration.ofSeconds(60));
				ResilienceTesting.assertNoActiveConnections(context);
			});
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void waitDurationOfTheResilience4jInstanceOverridesOpenDuration(Flavour flavour) {
		ResilienceTesting.runner(server.baseUrl())
			.withPropertyValues(
					"resilience4j.circuitbreaker.instances." + ResilienceTesting.CLIENT
							+ ".wait-duration-in-open-state=300ms",
					ResilienceTesting.key("circuit-breaker.half-open-calls=1"))
			.run((context) -> {
				CircuitBreaker breaker = breaker(context);
				assertThat(breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1))
					.isEqualTo(300L);
				// the starter's other defaults still apply
				assertThat(breaker.getCircuitBreakerConfig().getSlidingWindowSize()).isEqualTo(5);
				assertThat(breaker.getCircuitBreakerConfig().getFailureRateThreshold()).isEqualTo(100f);
				open(context, flavour);
				Awaitility.await()
					.atMost(Duration.ofSeconds(10))
					.pollInterval(Duration.ofMillis(100))
					.until(() -> flavour.call(context, HttpMethod.GET, "/ok").status() == 200);
				assertThat(breaker(context).getState()).isEqualTo(CircuitBreaker.State.CLOSED);
			});
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void aDisabledBreakerLetsEveryCallThrough(Flavour flavour) {
		ResilienceTesting.runner(server.baseUrl())
			.withPropertyValues(ResilienceTesting.key("circuit-breaker.enabled=false"),
					ResilienceTesting.key("retry.enabled=false"))
			.run((context) -> {
				for (int i = 0; i < 20; i++) {
					assertThat(flavour.call(context, HttpMethod.GET, "/fail").status()).isEqualTo(500);
				}
				assertThat(received()).isEqualTo(20);
				assertThat(context.getBean(CircuitBreakerRegistry.class).find(ResilienceTesting.CLIENT)).isEmpty();
			});
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void theBreakerOpensForTwoSecondsDoublesAfterEachFailedProbeAndStartsOverOnceClosed(Flavour flavour) {
		SettableClock clock = new SettableClock();
		ResilienceTesting.runner(server.baseUrl())
			.withPropertyValues(ResilienceTesting.key("retry.enabled=false"),
					ResilienceTesting.key("circuit-breaker.half-open-calls=1"),
					ResilienceTesting.key("circuit-breaker.open-duration=10s"))
			.withBean(CircuitBreakerConfigCustomizer.class,
					() -> CircuitBreakerConfigCustomizer.of(ResilienceTesting.CLIENT,
							(builder) -> builder.clock(clock)))
			.run((context) -> {
				open(context, flavour);
				// defaults: 2 s, then doubled after each failed probe, up to
				// open-duration
				for (Duration wait : new Duration[] { Duration.ofSeconds(2), Duration.ofSeconds(4),
						Duration.ofSeconds(8), Duration.ofSeconds(10), Duration.ofSeconds(10) }) {
					assertRefusedFor(context, flavour, clock, wait);
					int before = received();
					assertThat(flavour.call(context, HttpMethod.GET, "/fail").status()).isEqualTo(500);
					assertThat(received()).as("probe after %s", wait).isEqualTo(before + 1);
					assertThat(breaker(context).getState()).isEqualTo(CircuitBreaker.State.OPEN);
				}
				assertRefusedFor(context, flavour, clock, Duration.ofSeconds(10));
				assertThat(flavour.call(context, HttpMethod.GET, "/ok").status()).isEqualTo(200);
				assertThat(breaker(context).getState()).isEqualTo(CircuitBreaker.State.CLOSED);
				// a closed breaker forgets the failed probes: the next opening is short
				// again
				open(context, flavour);
				assertRefusedFor(context, flavour, clock, Duration.ofSeconds(2));
				assertThat(flavour.call(context, HttpMethod.GET, "/ok").status()).isEqualTo(200);
				assertThat(breaker(context).getState()).isEqualTo(CircuitBreaker.State.CLOSED);
			});
	}

	@Test
	void byDefaultTheBreakerWaitsTwoSecondsFirstAndAtMostOneMinute() {
		ResilienceTesting.runner(server.baseUrl()).run((context) -> {
			IntervalFunction wait = breaker(context).getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState();
			assertThat(java.util.stream.IntStream.rangeClosed(1, 8).mapToObj((attempt) -> wait.apply(attempt)))
				.containsExactly(2_000L, 4_000L, 8_000L, 16_000L, 32_000L, 60_000L, 60_000L, 60_000L);
			assertThat(wait.apply(10_000)).isEqualTo(60_000L);
		});
	}

	@Test
	void anInitialOpenDurationLongerThanTheOpenDurationIsCappedByIt() {
		ResilienceTesting.runner(server.baseUrl())
			.withPropertyValues(ResilienceTesting.key("circuit-breaker.open-duration=500ms"))
			.run((context) -> assertThat(
					breaker(context).getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1))
				.isEqualTo(500L));
	}

	// the breaker refuses calls, without touching the network, until the wait is over
	private static void assertRefusedFor(ApplicationContext context, Flavour flavour, SettableClock clock,
			Duration wait) {
		int before = received();
		clock.advance(wait.minusMillis(1));
		Outcome refused = flavour.call(context, HttpMethod.GET, "/ok");
		assertThat(refused.find(HttpPoolCircuitOpenException.class)).as("call %s after opening", wait.minusMillis(1))
			.isNotNull();
		assertThat(received()).isEqualTo(before);
		clock.advance(Duration.ofMillis(2));
	}

	/**
	 * A clock the test moves by hand.
	 */
	static final class SettableClock extends Clock {

		private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

		void advance(Duration duration) {
			this.now.updateAndGet((instant) -> instant.plus(duration));
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now.get();
		}

	}

}
