package io.httppool.resilience;

import java.net.ConnectException;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.resilience4j.retry.RetryRegistry;
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
 * Which requests are retried: idempotent methods, requests with an
 * {@code Idempotency-Key}, and any request the failure proves never reached the server.
 */
class IdempotencyRuleTests extends WireMockTests {

	private static void failOnceThenOk(String path, Fault fault) {
		server.stubFor(any(urlEqualTo(path)).inScenario(path)
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(aResponse().withFault(fault))
			.willSetStateTo("recovered"));
		server.stubFor(any(urlEqualTo(path)).inScenario(path)
			.whenScenarioStateIs("recovered")
			.willReturn(aResponse().withStatus(200).withBody("ok")));
	}

	private static int received(String path) {
		return server.countRequestsMatching(anyRequestedFor(urlEqualTo(path)).build()).getCount();
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void getIsRetriedAfterTheConnectionClosedWithoutAnswer(Flavour flavour) {
		failOnceThenOk("/get", Fault.EMPTY_RESPONSE);
		ResilienceTesting.runner(server.baseUrl()).run((context) -> {
			Outcome outcome = flavour.call(context, HttpMethod.GET, "/get");
			assertThat(outcome.status()).isEqualTo(200);
			assertThat(received("/get")).isEqualTo(2);
			ResilienceTesting.assertNoActiveConnections(context);
		});
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void postWhoseBodyWasSentIsNotRetriedWhenTheConnectionCloses(Flavour flavour) {
		failOnceThenOk("/post", Fault.EMPTY_RESPONSE);
		ResilienceTesting.runner(server.baseUrl()).run((context) -> {
			Outcome outcome = flavour.call(context, HttpMethod.POST, "/post", (headers) -> {
			}, "payload");
			assertThat(outcome.error()).isNotNull();
			assertThat(received("/post")).isEqualTo(1);
			ResilienceTesting.assertNoActiveConnections(context);
		});
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void patchIsNotRetriedAfterAReset(Flavour flavour) {
		failOnceThenOk("/patch", Fault.CONNECTION_RESET_BY_PEER);
		ResilienceTesting.runner(server.baseUrl()).run((context) -> {
			Outcome outcome = flavour.call(context, HttpMethod.PATCH, "/patch", (headers) -> {
			}, "payload");
			assertThat(outcome.error()).isNotNull();
			assertThat(received("/patch")).isEqualTo(1);
		});
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void postWithAnIdempotencyKeyIsRetried(Flavour flavour) {
		failOnceThenOk("/keyed", Fault.EMPTY_RESPONSE);
		ResilienceTesting.runner(server.baseUrl()).run((context) -> {
			Outcome outcome = flavour.call(context, HttpMethod.POST, "/keyed",
					(headers) -> headers.set("Idempotency-Key", "k-1"), "payload");
			assertThat(outcome.status()).isEqualTo(200);
			assertThat(received("/keyed")).isEqualTo(2);
		});
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void postAnswered503IsNotRetriedWithoutAnIdempotencyKey(Flavour flavour) {
		server.stubFor(any(urlEqualTo("/busy")).willReturn(aResponse().withStatus(503)));
		ResilienceTesting.runner(server.baseUrl()).run((context) -> {
			Outcome outcome = flavour.call(context, HttpMethod.POST, "/busy", (headers) -> {
			}, "payload");
			assertThat(outcome.status()).isEqualTo(503);
			assertThat(received("/busy")).isEqualTo(1);
		});
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void postIsRetriedWhenTheConnectionWasRefused(Flavour flavour) {
		server.stubFor(any(urlEqualTo("/refused")).willReturn(aResponse().withStatus(200)));
		try (TcpProxy proxy = new TcpProxy(server.port())) {
			proxy.stopListening();
			ResilienceTesting.runner(proxy.baseUrl()).run((context) -> {
				// the first attempt is refused; the proxy listens again when the retry is
				// planned
				context.getBean(RetryRegistry.class)
					.retry(ResilienceTesting.CLIENT)
					.getEventPublisher()
					.onRetry((event) -> proxy.startListening());
				Outcome outcome = flavour.call(context, HttpMethod.POST, "/refused", (headers) -> {
				}, "payload");
				assertThat(outcome.status()).isEqualTo(200);
				assertThat(received("/refused")).isEqualTo(1);
			});
		}
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void postToAClosedPortIsRetriedUpToMaxAttempts(Flavour flavour) {
		int closedPort;
		try (TcpProxy proxy = new TcpProxy(server.port())) {
			closedPort = proxy.port();
		}
		ResilienceTesting.runner("http://127.0.0.1:" + closedPort).run((context) -> {
			Outcome outcome = flavour.call(context, HttpMethod.POST, "/x", (headers) -> {
			}, "payload");
			assertThat(outcome.find(ConnectException.class)).isNotNull();
			RetryRegistry retries = context.getBean(RetryRegistry.class);
			assertThat(retries.retry(ResilienceTesting.CLIENT).getMetrics().getNumberOfFailedCallsWithRetryAttempt())
				.isEqualTo(1);
			assertThat(retries.retry(ResilienceTesting.CLIENT).getMetrics().getNumberOfTotalCalls()).isEqualTo(3);
		});
	}

}
