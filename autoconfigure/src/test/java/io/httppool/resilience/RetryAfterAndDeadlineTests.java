package io.httppool.resilience;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.httppool.HttpPoolDeadlineExceededException;
import io.httppool.resilience.ResilienceTesting.Flavour;
import io.httppool.resilience.ResilienceTesting.Outcome;
import io.httppool.test.TcpProxy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.http.HttpMethod;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code Retry-After}, backoff and the total deadline. Gaps are measured on the server
 * and asserted with generous bounds.
 */
class RetryAfterAndDeadlineTests extends WireMockTests {

	private static void onceThenOk(String path, ResponseDefinitionBuilder first) {
		server.stubFor(any(urlEqualTo(path)).inScenario(path)
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(first)
			.willSetStateTo("ok"));
		server.stubFor(any(urlEqualTo(path)).inScenario(path)
			.whenScenarioStateIs("ok")
			.willReturn(aResponse().withStatus(200)));
	}

	private static int received(String path) {
		return server.countRequestsMatching(anyRequestedFor(urlEqualTo(path)).build()).getCount();
	}

	/**
	 * Time between the first and the last request the server received.
	 */
	private static Duration gap() {
		List<ServeEvent> events = server.getAllServeEvents()
			.stream()
			.sorted(Comparator.comparing((event) -> event.getRequest().getLoggedDate()))
			.toList();
		return Duration.ofMillis(events.get(events.size() - 1).getRequest().getLoggedDate().getTime()
				- events.get(0).getRequest().getLoggedDate().getTime());
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void retryAfterInSecondsIsHonoured(Flavour flavour) {
		onceThenOk("/ra", aResponse().withStatus(503).withHeader("Retry-After", "1"));
		ResilienceTesting.runner(server.baseUrl()).run((context) -> {
			assertThat(flavour.call(context, HttpMethod.GET, "/ra").status()).isEqualTo(200);
			assertThat(received("/ra")).isEqualTo(2);
			// the backoff alone would be 20 ms
			assertThat(gap()).isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
		});
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void retryAfterAsHttpDateIsHonoured(Flavour flavour) {
		ResilienceTesting.runner(server.baseUrl()).run((context) -> {
			// dated once the context runs: its start on a busy machine would eat into the
			// wait; the date has a resolution of one second, so 3 to 4 s from now
			String inFourSeconds = DateTimeFormatter.RFC_1123_DATE_TIME
				.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(4));
			onceThenOk("/date", aResponse().withStatus(429).withHeader("Retry-After", inFourSeconds));
			assertThat(flavour.call(context, HttpMethod.GET, "/date").status()).isEqualTo(200);
			assertThat(received("/date")).isEqualTo(2);
			// the backoff alone would be 20 ms; the first call may take 1.5 s of the 3 s
			assertThat(gap()).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(10));
		});
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void retryAfterIsCappedByMaxBackoff(Flavour flavour) {
		onceThenOk("/long", aResponse().withStatus(503).withHeader("Retry-After", "120"));
		ResilienceTesting.runner(server.baseUrl())
			.withPropertyValues(ResilienceTesting.key("retry.max-backoff=300ms"))
			.run((context) -> {
				Outcome outcome = flavour.call(context, HttpMethod.GET, "/long");
				assertThat(outcome.status()).isEqualTo(200);
				assertThat(gap()).isBetween(Duration.ofMillis(250), Duration.ofSeconds(10));
			});
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void aRetryAfterBeyondTheDeadlineEndsTheCallWithTheResponse(Flavour flavour) {
		onceThenOk("/later", aResponse().withStatus(503).withHeader("Retry-After", "60"));
		// a deadline far above the first call on a busy machine: a call that waited for
		// it takes at least this long
		Duration deadline = Duration.ofSeconds(20);
		ResilienceTesting.runner(server.baseUrl())
			.withPropertyValues(ResilienceTesting.key("retry.max-backoff=2m"),
					ResilienceTesting.key("timeout=" + deadline.toSeconds() + "s"))
			.run((context) -> {
				Outcome outcome = flavour.call(context, HttpMethod.GET, "/later");
				assertThat(outcome.status()).isEqualTo(503);
				assertThat(received("/later")).isEqualTo(1);
				assertThat(outcome.took()).isLessThan(deadline);
			});
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void backoffGrowsExponentially(Flavour flavour) {
		server.stubFor(any(urlEqualTo("/grow")).willReturn(aResponse().withStatus(503)));
		ResilienceTesting.runner(server.baseUrl())
			.withPropertyValues(ResilienceTesting.key("retry.initial-backoff=200ms"),
					ResilienceTesting.key("retry.multiplier=3"), ResilienceTesting.key("retry.max-attempts=3"),
					ResilienceTesting.key("circuit-breaker.enabled=false"))
			.run((context) -> {
				assertThat(flavour.call(context, HttpMethod.GET, "/grow").status()).isEqualTo(503);
				assertThat(received("/grow")).isEqualTo(3);
				// 200 ms then 600 ms
				assertThat(gap()).isBetween(Duration.ofMillis(750), Duration.ofSeconds(8));
			});
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void anAttemptInFlightAtTheDeadlineFailsTheCallWithATypedException(Flavour flavour) {
		try (TcpProxy proxy = new TcpProxy(server.port())) {
			proxy.mode(TcpProxy.Mode.BLACK_HOLE);
			ResilienceTesting.runner(proxy.baseUrl())
				.withPropertyValues(ResilienceTesting.key("timeout=1s"))
				.run((context) -> {
					Outcome outcome = flavour.call(context, HttpMethod.GET, "/hang");
					HttpPoolDeadlineExceededException deadline = outcome.find(HttpPoolDeadlineExceededException.class);
					assertThat(deadline).isNotNull();
					assertThat(deadline.getClientName()).isEqualTo(ResilienceTesting.CLIENT);
					assertThat(deadline.getAttempts()).isEqualTo(1);
					assertThat(deadline).hasMessageContaining("'up'").hasMessageContaining("1 attempt(s)");
					assertThat(outcome.took()).isBetween(Duration.ofMillis(900), Duration.ofSeconds(10));
					ResilienceTesting.assertNoActiveConnections(context);
				});
		}
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void theDeadlineExceptionNamesTheAttemptsAndTheLastFailure(Flavour flavour) {
		onceThenOk("/then-hang", aResponse().withStatus(503));
		server.stubFor(any(urlEqualTo("/then-hang")).inScenario("/then-hang")
			.whenScenarioStateIs("ok")
			.willReturn(aResponse().withStatus(200).withFixedDelay(20_000)));
		ResilienceTesting.runner(server.baseUrl())
			.withPropertyValues(ResilienceTesting.key("timeout=1500ms"))
			.run((context) -> {
				Outcome outcome = flavour.call(context, HttpMethod.GET, "/then-hang");
				HttpPoolDeadlineExceededException deadline = outcome.find(HttpPoolDeadlineExceededException.class);
				assertThat(deadline).isNotNull();
				assertThat(deadline.getAttempts()).isEqualTo(2);
				assertThat(deadline.getCause()).isInstanceOf(HttpStatusFailure.class);
				assertThat(((HttpStatusFailure) deadline.getCause()).getStatus()).isEqualTo(503);
				assertThat(received("/then-hang")).isEqualTo(2);
				assertThat(outcome.took()).isBetween(Duration.ofMillis(1400), Duration.ofSeconds(10));
				ResilienceTesting.assertNoActiveConnections(context);
			});
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void retriesNeverRunPastTheDeadline(Flavour flavour) {
		server.stubFor(any(urlEqualTo("/always")).willReturn(aResponse().withStatus(503).withFixedDelay(150)));
		ResilienceTesting.runner(server.baseUrl())
			.withPropertyValues(ResilienceTesting.key("timeout=3s"), ResilienceTesting.key("retry.max-attempts=50"),
					ResilienceTesting.key("retry.initial-backoff=100ms"), ResilienceTesting.key("retry.multiplier=1.5"),
					ResilienceTesting.key("circuit-breaker.enabled=false"), ResilienceTesting.key("retry.budget=100"))
			.run((context) -> {
				Outcome outcome = flavour.call(context, HttpMethod.GET, "/always");
				// without the deadline the 50 attempts and their backoffs take minutes
				assertThat(outcome.took()).isLessThan(Duration.ofSeconds(8));
				// attempts start at 0, 250, 550, 925, 1,412, 2,068 and 2,977 ms at the
				// earliest (150 ms each, then 100 ms backoff growing 1.5 times)
				assertThat(received("/always")).isBetween(2, 7);
			});
	}

}
