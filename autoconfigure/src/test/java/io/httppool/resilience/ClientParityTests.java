package io.httppool.resilience;

import java.util.Map;
import java.util.TreeMap;

import io.httppool.HttpPoolDeadlineExceededException;
import io.httppool.autoconfigure.metrics.HttpPoolMetricsAutoConfiguration;
import io.httppool.metrics.HttpPoolMeters;
import io.httppool.resilience.ResilienceTesting.Flavour;
import io.httppool.resilience.ResilienceTesting.Outcome;
import io.httppool.test.TcpProxy;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpMethod;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code WebClient} and the {@code RestClient} of a client give the same outcome for
 * the same upstream behaviour: the same attempts reach the server, the same typed
 * exception reaches the caller, and {@code http.pool.requests} records the same attempts
 * with the same tags.
 */
class ClientParityTests extends WireMockTests {

	private static ApplicationContextRunner runner(String baseUrl) {
		return ResilienceTesting.runner(baseUrl)
			.withConfiguration(
					AutoConfigurations.of(HttpPoolMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
							CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class));
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void twoRetriedStatusesThenASuccessAreThreeAttemptsEachRecordedOnce(Flavour flavour) {
		server.stubFor(any(urlEqualTo("/flaky")).inScenario("flaky")
			.whenScenarioStateIs("Started")
			.willReturn(aResponse().withStatus(503))
			.willSetStateTo("second"));
		server.stubFor(any(urlEqualTo("/flaky")).inScenario("flaky")
			.whenScenarioStateIs("second")
			.willReturn(aResponse().withStatus(503))
			.willSetStateTo("ok"));
		server.stubFor(any(urlEqualTo("/flaky")).inScenario("flaky")
			.whenScenarioStateIs("ok")
			.willReturn(aResponse().withStatus(200)));
		runner(server.baseUrl()).withPropertyValues(ResilienceTesting.key("retry.max-attempts=3")).run((context) -> {
			Outcome outcome = flavour.call(context, HttpMethod.PUT, "/flaky", (headers) -> {
			}, "a replayable body");
			assertThat(outcome.status()).isEqualTo(200);
			assertThat(server.countRequestsMatching(anyRequestedFor(urlEqualTo("/flaky")).build()).getCount())
				.isEqualTo(3);
			assertThat(attempts(context)).containsExactly(Map.entry("PUT 200 SUCCESS", 1L),
					Map.entry("PUT 503 SERVER_ERROR", 2L));
		});
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void anAttemptTheDeadlineCancelsIsNotRecordedAndTheCallerGetsTheTypedException(Flavour flavour) {
		try (TcpProxy proxy = new TcpProxy(server.port())) {
			proxy.mode(TcpProxy.Mode.BLACK_HOLE);
			runner(proxy.baseUrl()).withPropertyValues(ResilienceTesting.key("timeout=300ms")).run((context) -> {
				Outcome outcome = flavour.call(context, HttpMethod.GET, "/hang");
				HttpPoolDeadlineExceededException deadline = outcome.find(HttpPoolDeadlineExceededException.class);
				assertThat(deadline).as("%s", outcome.error()).isNotNull();
				assertThat(outcome.error()).isSameAs(deadline);
				assertThat(deadline.getAttempts()).isEqualTo(1);
				assertThat(attempts(context)).isEmpty();
				ResilienceTesting.assertNoActiveConnections(context);
			});
		}
	}

	// "METHOD STATUS OUTCOME" -> count, for every attempt the client recorded
	private static Map<String, Long> attempts(ApplicationContext context) {
		Map<String, Long> attempts = new TreeMap<>();
		for (Timer timer : context.getBean(MeterRegistry.class).find(HttpPoolMeters.REQUESTS).timers()) {
			if (timer.count() > 0) {
				attempts
					.put(timer.getId().getTag(HttpPoolMeters.METHOD) + " " + timer.getId().getTag(HttpPoolMeters.STATUS)
							+ " " + timer.getId().getTag(HttpPoolMeters.OUTCOME), timer.count());
			}
		}
		return attempts;
	}

}
