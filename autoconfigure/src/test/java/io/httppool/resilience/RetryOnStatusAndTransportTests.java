package io.httppool.resilience;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.httppool.resilience.ResilienceTesting.Flavour;
import io.httppool.resilience.ResilienceTesting.Outcome;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.http.HttpMethod;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What is retried: the configured statuses and transport failures, never other 4xx.
 */
class RetryOnStatusAndTransportTests extends WireMockTests {

	/**
	 * Answer with the given responses in turn, then 200.
	 */
	private static void answers(String path, ResponseDefinitionBuilder... responses) {
		String state = Scenario.STARTED;
		for (int i = 0; i < responses.length; i++) {
			server.stubFor(any(urlEqualTo(path)).inScenario(path)
				.whenScenarioStateIs(state)
				.willReturn(responses[i])
				.willSetStateTo("step-" + (i + 1)));
			state = "step-" + (i + 1);
		}
		server.stubFor(any(urlEqualTo(path)).inScenario(path)
			.whenScenarioStateIs(state)
			.willReturn(aResponse().withStatus(200).withBody("ok")));
	}

	private static int received(String path) {
		return server.countRequestsMatching(anyRequestedFor(urlEqualTo(path)).build()).getCount();
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void configuredStatusesAreRetriedUntilSuccess(Flavour flavour) {
		answers("/flaky", aResponse().withStatus(503), aResponse().withStatus(502));
		ResilienceTesting.runner(server.baseUrl()).run((context) -> {
			assertThat(flavour.call(context, HttpMethod.GET, "/flaky").status()).isEqualTo(200);
			assertThat(received("/flaky")).isEqualTo(3);
			ResilienceTesting.assertNoActiveConnections(context);
		});
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void retriesStopAtMaxAttemptsAndTheCallerGetsTheLastResponse(Flavour flavour) {
		server.stubFor(any(urlEqualTo("/down")).willReturn(aResponse().withStatus(504)));
		ResilienceTesting.runner(server.baseUrl()).run((context) -> {
			assertThat(flavour.call(context, HttpMethod.GET, "/down").status()).isEqualTo(504);
			assertThat(received("/down")).isEqualTo(3);
			ResilienceTesting.assertNoActiveConnections(context);
		});
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void tooManyRequestsIsRetried(Flavour flavour) {
		answers("/limited", aResponse().withStatus(429));
		ResilienceTesting.runner(server.baseUrl()).run((context) -> {
			assertThat(flavour.call(context, HttpMethod.GET, "/limited").status()).isEqualTo(200);
			assertThat(received("/limited")).isEqualTo(2);
		});
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void otherClientErrorsAndServerErrorsOutsideTheListAreNotRetried(Flavour flavour) {
		server.stubFor(any(urlEqualTo("/missing")).willReturn(aResponse().withStatus(404)));
		server.stubFor(any(urlEqualTo("/invalid")).willReturn(aResponse().withStatus(422)));
		server.stubFor(any(urlEqualTo("/broken")).willReturn(aResponse().withStatus(500)));
		ResilienceTesting.runner(server.baseUrl()).run((context) -> {
			assertThat(flavour.call(context, HttpMethod.GET, "/missing").status()).isEqualTo(404);
			assertThat(flavour.call(context, HttpMethod.PUT, "/invalid").status()).isEqualTo(422);
			assertThat(flavour.call(context, HttpMethod.GET, "/broken").status()).isEqualTo(500);
			assertThat(received("/missing")).isEqualTo(1);
			assertThat(received("/invalid")).isEqualTo(1);
			assertThat(received("/broken")).isEqualTo(1);
		});
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void onStatusesCanBeChanged(Flavour flavour) {
		answers("/custom", aResponse().withStatus(500));
		ResilienceTesting.runner(server.baseUrl())
			.withPropertyValues(ResilienceTesting.key("retry.on-statuses=500"))
			.run((context) -> {
				assertThat(flavour.call(context, HttpMethod.GET, "/custom").status()).isEqualTo(200);
				assertThat(received("/custom")).isEqualTo(2);
			});
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void aResetConnectionIsRetried(Flavour flavour) {
		answers("/reset", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
		ResilienceTesting.runner(server.baseUrl()).run((context) -> {
			assertThat(flavour.call(context, HttpMethod.GET, "/reset").status()).isEqualTo(200);
			assertThat(received("/reset")).isEqualTo(2);
			ResilienceTesting.assertNoActiveConnections(context);
		});
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void aResponseTimeoutIsRetried(Flavour flavour) {
		answers("/slow", aResponse().withStatus(200).withFixedDelay(3000));
		ResilienceTesting.runner(server.baseUrl())
			.withPropertyValues(ResilienceTesting.key("response-timeout=300ms"),
					ResilienceTesting.key("pending-acquire-timeout=300ms"))
			.run((context) -> {
				Outcome outcome = flavour.call(context, HttpMethod.GET, "/slow");
				assertThat(outcome.status()).isEqualTo(200);
				assertThat(received("/slow")).isEqualTo(2);
				ResilienceTesting.assertNoActiveConnections(context);
			});
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void aResponseCutInTheMiddleOfItsChunkedBodyIsNotRetried(Flavour flavour) {
		// the headers arrived: the response was handed to the caller before the body
		// broke
		answers("/chunk", aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK));
		ResilienceTesting.runner(server.baseUrl()).run((context) -> {
			Outcome outcome = flavour.call(context, HttpMethod.GET, "/chunk");
			assertThat(outcome.status()).isNotEqualTo(200);
			assertThat(received("/chunk")).isEqualTo(1);
			ResilienceTesting.assertNoActiveConnections(context);
		});
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void nothingIsRetriedWhenRetriesAreDisabled(Flavour flavour) {
		answers("/off", aResponse().withStatus(503), aResponse().withFault(Fault.EMPTY_RESPONSE));
		ResilienceTesting.runner(server.baseUrl())
			.withPropertyValues(ResilienceTesting.key("retry.enabled=false"))
			.run((context) -> {
				assertThat(flavour.call(context, HttpMethod.GET, "/off").status()).isEqualTo(503);
				assertThat(flavour.call(context, HttpMethod.GET, "/off").error()).isNotNull();
				assertThat(received("/off")).isEqualTo(2);
			});
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void maxAttemptsOfResilience4jInstanceWins(Flavour flavour) {
		server.stubFor(any(urlEqualTo("/five")).willReturn(aResponse().withStatus(503)));
		ResilienceTesting.runner(server.baseUrl())
			.withPropertyValues("resilience4j.retry.instances." + ResilienceTesting.CLIENT + ".max-attempts=5",
					ResilienceTesting.key("circuit-breaker.enabled=false"))
			.run((context) -> {
				assertThat(flavour.call(context, HttpMethod.GET, "/five").status()).isEqualTo(503);
				assertThat(received("/five")).isEqualTo(5);
			});
	}

}
