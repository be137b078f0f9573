package io.httppool.autoconfigure.health;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.httppool.test.Actuator;
import io.httppool.test.Gate;
import io.httppool.test.TestUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.netty.http.HttpProtocol;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The one application-wide setting the starter contributes,
 * {@code management.endpoint.health.status.order} with {@code DEGRADED}, seen from
 * {@code /actuator/health} of a real application: it leaves the application's own
 * indicators aggregating as they would without the starter, and it gives way to any order
 * the application sets, even in its weakest place ({@code SpringApplication} default
 * properties, which Spring Boot moves behind every other property source).
 */
class HttpPoolHealthStatusOrderIntegrationTests {

	private static final String STATUS_ORDER = "management.endpoint.health.status.order";

	private final Gate gate = new Gate();

	private final TestUpstream upstream = TestUpstream.speaking(HttpProtocol.HTTP11)
		.handler(this.gate.handler())
		.start();

	@AfterEach
	void stopUpstream() {
		this.gate.open();
		this.upstream.close();
	}

	@Test
	void whenTheApplicationSetsNoOrderThenADegradedPoolRanksBelowTheApplicationsOwnIndicators() {
		try (ConfigurableApplicationContext context = start(Map.of())) {
			Actuator actuator = actuator(context);
			AtomicReference<Status> own = context.getBean(OwnIndicator.class).status;
			holdOneRequest(context, actuator);

			assertRoot(actuator, "DEGRADED", 200);
			own.set(Status.OUT_OF_SERVICE);
			assertRoot(actuator, "OUT_OF_SERVICE", 503);
			own.set(Status.DOWN);
			assertRoot(actuator, "DOWN", 503);
			own.set(Status.UNKNOWN);
			assertRoot(actuator, "DEGRADED", 200);
			assertThat(context.getEnvironment()
				.getPropertySources()
				.contains(HttpPoolHealthEnvironmentPostProcessor.PROPERTY_SOURCE_NAME)).isTrue();
			this.gate.open();
		}
	}

	@Test
	void whenTheApplicationSetsAnOrderInItsDefaultPropertiesThenItsOrderWins() {
		try (ConfigurableApplicationContext context = start(Map.of(STATUS_ORDER, "DOWN,OUT_OF_SERVICE,UP,UNKNOWN"))) {
			Actuator actuator = actuator(context);
			holdOneRequest(context, actuator);

			assertRoot(actuator, "UP", 200);
			assertThat(context.getEnvironment().getProperty(STATUS_ORDER)).isEqualTo("DOWN,OUT_OF_SERVICE,UP,UNKNOWN");
			assertThat(context.getEnvironment()
				.getPropertySources()
				.contains(HttpPoolHealthEnvironmentPostProcessor.PROPERTY_SOURCE_NAME)).isFalse();
			this.gate.open();
		}
	}

	private ConfigurableApplicationContext start(Map<String, Object> defaultProperties) {
		SpringApplication application = new SpringApplication(App.class);
		application.setDefaultProperties(defaultProperties);
		return application.run("--server.port=0", "--spring.main.web-application-type=reactive",
				"--spring.main.banner-mode=off", "--management.endpoints.web.exposure.include=health",
				"--management.endpoint.health.show-details=always", "--http.pool.shutdown-timeout=2s",
				"--http.pool.clients.stt.base-url=" + this.upstream.baseUrl(), "--http.pool.clients.stt.protocol=http1",
				"--http.pool.clients.stt.max-connections=2", "--http.pool.clients.stt.health.degraded-threshold=0.5");
	}

	private static Actuator actuator(ConfigurableApplicationContext context) {
		return new Actuator(((WebServerApplicationContext) context).getWebServer().getPort());
	}

	/**
	 * One request held by the upstream: one of two connections busy, so the pool is
	 * {@code DEGRADED}.
	 */
	private void holdOneRequest(ConfigurableApplicationContext context, Actuator actuator) {
		this.gate.close();
		context.getBean("sttWebClient", WebClient.class)
			.get()
			.uri("/held")
			.retrieve()
			.toBodilessEntity()
			.subscribe((response) -> {
			}, (ex) -> {
			});
		await().atMost(Duration.ofSeconds(10)).until(() -> this.upstream.requests() == 1);
		assertThat(actuator.get("/health/httpPools/stt").<String>read("$.status")).isEqualTo("DEGRADED");
	}

	private static void assertRoot(Actuator actuator, String status, int httpStatus) {
		Actuator.Response root = actuator.get("/health");
		assertThat(root.<String>read("$.status")).isEqualTo(status);
		assertThat(root.status()).isEqualTo(httpStatus);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean
		OwnIndicator ownIndicator() {
			return new OwnIndicator();
		}

	}

	/**
	 * An indicator of the application's own, {@code UP} until a test says otherwise.
	 */
	static class OwnIndicator implements HealthIndicator {

		final AtomicReference<Status> status = new AtomicReference<>(Status.UP);

		@Override
		public Health health() {
			return Health.status(this.status.get()).build();
		}

	}

}
