package io.httppool.resilience;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.httppool.HttpPoolBulkheadFullException;
import io.httppool.resilience.ResilienceTesting.Flavour;
import io.httppool.resilience.ResilienceTesting.Outcome;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.service.HttpServiceClientAutoConfiguration;
import org.springframework.boot.webclient.autoconfigure.service.ReactiveHttpServiceClientAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.registry.HttpServiceGroup.ClientType;
import org.springframework.web.service.registry.ImportHttpServices;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bulkhead, and resilience on HTTP service groups named after a client.
 */
class BulkheadAndServiceGroupTests extends WireMockTests {

	private static int received(String path) {
		return server.countRequestsMatching(anyRequestedFor(urlEqualTo(path)).build()).getCount();
	}

	// the given number of GETs from as many threads at once
	private static List<Outcome> callAtOnce(ApplicationContext context, Flavour flavour, String path, int calls) {
		ExecutorService callers = Executors.newFixedThreadPool(calls);
		try {
			return java.util.stream.IntStream.range(0, calls)
				.mapToObj((i) -> CompletableFuture.supplyAsync(() -> flavour.call(context, HttpMethod.GET, path),
						callers))
				.toList()
				.stream()
				.map(CompletableFuture::join)
				.toList();
		}
		finally {
			callers.shutdownNow();
		}
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void theBulkheadRefusesCallsBeyondItsLimit(Flavour flavour) {
		server.stubFor(any(urlEqualTo("/slow")).willReturn(aResponse().withStatus(200).withFixedDelay(1500)));
		ResilienceTesting.runner(server.baseUrl())
			.withPropertyValues(ResilienceTesting.key("bulkhead.max-concurrent-calls=2"))
			.run((context) -> {
				List<Outcome> outcomes = callAtOnce(context, flavour, "/slow", 4);
				assertThat(outcomes).filteredOn((outcome) -> outcome.status() == 200).hasSize(2);
				assertThat(outcomes).filteredOn((outcome) -> outcome.find(HttpPoolBulkheadFullException.class) != null)
					.hasSize(2);
				assertThat(received("/slow")).isEqualTo(2);
			});
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void aBulkheadWithAMaxWaitDurationQueuesCallsInsteadOfRefusingThem(Flavour flavour) {
		server.stubFor(any(urlEqualTo("/queued")).willReturn(aResponse().withStatus(200).withFixedDelay(300)));
		ResilienceTesting.runner(server.baseUrl())
			.withPropertyValues(ResilienceTesting.key("bulkhead.max-concurrent-calls=1"),
					"resilience4j.bulkhead.instances." + ResilienceTesting.CLIENT + ".max-wait-duration=20s")
			.run((context) -> {
				List<Outcome> outcomes = callAtOnce(context, flavour, "/queued", 3);
				// one at a time: each waited for the permission instead of failing
				assertThat(outcomes).allSatisfy((outcome) -> assertThat(outcome.status()).isEqualTo(200));
				assertThat(received("/queued")).isEqualTo(3);
			});
	}

	@ParameterizedTest
	@EnumSource(value = ClientType.class, names = { "REST_CLIENT", "WEB_CLIENT" })
	void anHttpServiceGroupNamedAfterTheClientIsRetried(ClientType clientType) {
		server.stubFor(any(urlEqualTo("/greeting")).inScenario("g")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(aResponse().withStatus(503))
			.willSetStateTo("ok"));
		server.stubFor(any(urlEqualTo("/greeting")).inScenario("g")
			.whenScenarioStateIs("ok")
			.willReturn(aResponse().withStatus(200).withBody("hello")));
		Class<?> configuration = (clientType == ClientType.REST_CLIENT) ? RestGroup.class : WebGroup.class;
		ResilienceTesting.runner(server.baseUrl())
			.withConfiguration(AutoConfigurations.of(RestClientAutoConfiguration.class,
					org.springframework.boot.http.client.autoconfigure.service.HttpServiceClientPropertiesAutoConfiguration.class,
					HttpServiceClientAutoConfiguration.class, ReactiveHttpServiceClientAutoConfiguration.class))
			.withUserConfiguration(configuration)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				String body = (clientType == ClientType.REST_CLIENT) ? context.getBean(Greeting.class).greeting()
						: context.getBean(ReactiveGreeting.class).greeting().block(Duration.ofSeconds(30));
				assertThat(body).isEqualTo("hello");
				assertThat(received("/greeting")).isEqualTo(2);
			});
	}

	interface Greeting {

		@GetExchange("/greeting")
		String greeting();

	}

	interface ReactiveGreeting {

		@GetExchange("/greeting")
		reactor.core.publisher.Mono<String> greeting();

	}

	@Configuration(proxyBeanMethods = false)
	@ImportHttpServices(group = ResilienceTesting.CLIENT, types = Greeting.class, clientType = ClientType.REST_CLIENT)
	static class RestGroup {

	}

	@Configuration(proxyBeanMethods = false)
	@ImportHttpServices(group = ResilienceTesting.CLIENT, types = ReactiveGreeting.class,
			clientType = ClientType.WEB_CLIENT)
	static class WebGroup {

	}

}
