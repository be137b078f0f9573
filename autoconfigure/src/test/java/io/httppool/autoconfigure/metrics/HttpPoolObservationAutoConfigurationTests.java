package io.httppool.autoconfigure.metrics;

import java.time.Duration;

import io.httppool.autoconfigure.HttpPoolAutoConfiguration;
import io.httppool.metrics.HttpPoolMeters;
import io.httppool.test.TestUpstream;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.netty.http.HttpProtocol;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.boot.webclient.autoconfigure.WebClientObservationAutoConfiguration;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.ClientRequestObservationConvention;
import org.springframework.web.reactive.function.client.DefaultClientRequestObservationConvention;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Boot's {@code http.client.requests} observation of every client, tagged with the
 * client's name: one observation per call, made by Spring, no second timer.
 */
class HttpPoolObservationAutoConfigurationTests {

	private static TestUpstream upstream;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(HttpPoolAutoConfiguration.class, HttpPoolObservationAutoConfiguration.class,
						ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
						CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
						WebClientAutoConfiguration.class, WebClientObservationAutoConfiguration.class,
						RestClientAutoConfiguration.class, RestClientObservationAutoConfiguration.class))
		.withPropertyValues("http.pool.shutdown-timeout=1s", "http.pool.clients.stt.base-url=" + upstream.baseUrl(),
				"http.pool.clients.stt.protocol=h2c", "http.pool.clients.legacy.base-url=" + upstream.baseUrl(),
				"http.pool.clients.legacy.protocol=http1");

	@BeforeAll
	static void startUpstream() {
		upstream = TestUpstream.speaking(HttpProtocol.H2C, HttpProtocol.HTTP11).start();
	}

	@AfterAll
	static void stopUpstream() {
		upstream.close();
	}

	@Test
	void whenClientsAreCalledThenSpringBootsObservationCarriesTheClientNextToItsOwnKeys() {
		this.runner.run((context) -> {
			callBoth(context);
			Timer stt = timer(context, "http.client.requests", "stt");
			assertThat(stt.count()).isEqualTo(2);
			assertThat(stt.getId().getTag("method")).isEqualTo("GET");
			assertThat(stt.getId().getTag("uri")).isEqualTo("/items/{id}");
			assertThat(stt.getId().getTag("status")).isEqualTo("200");
			assertThat(stt.getId().getTag("client.name")).isEqualTo("127.0.0.1");
			assertThat(timer(context, "http.client.requests", "legacy").count()).isEqualTo(2);
			assertThat(context.getBean(MeterRegistry.class).find("http.client.requests").timers())
				.allSatisfy((timer) -> assertThat(timer.getId().getTag(HttpPoolMeters.CLIENT)).isNotNull());
		});
	}

	@Test
	void whenSpringBootsObservationIsRenamedThenTheNameIsKept() {
		this.runner.withPropertyValues("management.observations.http.client.requests.name=outbound").run((context) -> {
			callBoth(context);
			assertThat(timer(context, "outbound", "stt").count()).isEqualTo(2);
			assertThat(timer(context, "outbound", "legacy").count()).isEqualTo(2);
			assertThat(context.getBean(MeterRegistry.class).find("http.client.requests").timers()).isEmpty();
		});
	}

	@Test
	void whenTheApplicationDefinesAWebClientConventionThenItIsKept() {
		this.runner
			.withBean(ClientRequestObservationConvention.class,
					() -> new DefaultClientRequestObservationConvention("custom.webclient"))
			.run((context) -> {
				callBoth(context);
				Timer custom = context.getBean(MeterRegistry.class).get("custom.webclient").timer();
				assertThat(custom.count()).isEqualTo(2);
				assertThat(custom.getId().getTag(HttpPoolMeters.CLIENT)).isNull();
				assertThat(timer(context, "http.client.requests", "legacy").count())
					.as("the RestClient side still gets the client key")
					.isEqualTo(2);
			});
	}

	@Test
	void whenTheApplicationDefinesTheCustomizerThenAutoConfigurationBacksOff() {
		HttpPoolObservationCustomizer customizer = new HttpPoolObservationCustomizer("mine", false, false);
		this.runner.withBean(HttpPoolObservationCustomizer.class, () -> customizer)
			.run((context) -> assertThat(context).getBean(HttpPoolObservationCustomizer.class).isSameAs(customizer));
	}

	@Test
	void whenThereIsNoObservationRegistryThenNoCustomizer() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(HttpPoolAutoConfiguration.class,
					HttpPoolObservationAutoConfiguration.class, WebClientAutoConfiguration.class))
			.withPropertyValues("http.pool.clients.stt.base-url=http://127.0.0.1:9")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(HttpPoolObservationCustomizer.class));
	}

	@Test
	void whenMicrometerObservationIsAbsentThenClientsWorkWithoutTheConvention() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(HttpPoolAutoConfiguration.class,
					HttpPoolObservationAutoConfiguration.class, WebClientAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(ObservationRegistry.class))
			.withPropertyValues("http.pool.clients.stt.base-url=http://127.0.0.1:9")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(HttpPoolObservationCustomizer.class));
	}

	private static void callBoth(AssertableApplicationContext context) {
		WebClient stt = context.getBean("sttWebClient", WebClient.class);
		RestClient legacy = context.getBean("legacyRestClient", RestClient.class);
		for (int id = 1; id <= 2; id++) {
			stt.get().uri("/items/{id}", id).retrieve().toBodilessEntity().block(Duration.ofSeconds(10));
			legacy.get().uri("/items/{id}", id).retrieve().toBodilessEntity();
		}
	}

	private static Timer timer(AssertableApplicationContext context, String name, String client) {
		return context.getBean(MeterRegistry.class).get(name).tag(HttpPoolMeters.CLIENT, client).timer();
	}

}
