package io.httppool.autoconfigure.health;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.httppool.test.Actuator;
import io.httppool.test.Gate;
import io.httppool.test.TestUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.netty.http.HttpProtocol;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With Spring Boot's own group setting
 * {@code management.endpoint.health.group.readiness.include=readinessState,httpPools}, a
 * saturated pool takes the instance out of load balancing (readiness 503) but never
 * restarts it (liveness 200). The user's own status order, here Spring Boot's default
 * without {@code DEGRADED}, is kept.
 */
@SpringBootTest(classes = HttpPoolReadinessIntegrationTests.App.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "management.endpoints.web.exposure.include=health",
				"management.endpoint.health.show-details=always",
				"management.endpoint.health.status.order=DOWN,OUT_OF_SERVICE,UP,UNKNOWN",
				"management.endpoint.health.group.readiness.include=readinessState,httpPools",
				"http.pool.shutdown-timeout=2s", "http.pool.clients.stt.protocol=http1",
				"http.pool.clients.stt.max-connections=2", "http.pool.clients.stt.health.degraded-threshold=0.5" })
@DirtiesContext
class HttpPoolReadinessIntegrationTests {

	private static final Gate gate = new Gate();

	private static final TestUpstream upstream = TestUpstream.speaking(HttpProtocol.HTTP11)
		.handler(gate.handler())
		.start();

	@LocalServerPort
	private int port;

	@Autowired
	@Qualifier("stt")
	private WebClient stt;

	@DynamicPropertySource
	static void upstream(DynamicPropertyRegistry registry) {
		registry.add("http.pool.clients.stt.base-url", upstream::baseUrl);
	}

	@AfterAll
	static void stopUpstream() {
		gate.open();
		upstream.close();
	}

	@Test
	void whenReadinessGroupIncludesHttpPoolsThenASaturatedPoolMakesTheInstanceUnreadyButAlive() {
		Actuator actuator = new Actuator(this.port);
		Actuator.Response ready = actuator.get("/health/readiness");
		assertThat(ready.status()).isEqualTo(200);
		assertThat(ready.<Map<String, Object>>read("$.components")).containsOnlyKeys("readinessState", "httpPools");
		gate.close();
		AtomicInteger completed = new AtomicInteger();

		send(completed);
		await().atMost(Duration.ofSeconds(10)).until(() -> upstream.requests() == 1);
		assertThat(actuator.get("/health/httpPools/stt").<String>read("$.status")).isEqualTo("DEGRADED");
		Actuator.Response root = actuator.get("/health");
		assertThat(root.<String>read("$.status")).as("the user's status order, without DEGRADED, is kept")
			.isEqualTo("UP");
		assertThat(actuator.get("/health/readiness").status()).isEqualTo(200);

		send(completed);
		await().atMost(Duration.ofSeconds(10)).until(() -> upstream.requests() == 2);
		Actuator.Response readiness = actuator.get("/health/readiness");
		assertThat(readiness.status()).isEqualTo(503);
		assertThat(readiness.<String>read("$.status")).isEqualTo("DOWN");
		assertThat(actuator.get("/health/liveness").status()).isEqualTo(200);

		gate.open();
		await().atMost(Duration.ofSeconds(10)).until(() -> completed.get() == 2);
		assertThat(actuator.get("/health/readiness").status()).isEqualTo(200);
	}

	private void send(AtomicInteger completed) {
		this.stt.get()
			.uri("/held")
			.retrieve()
			.toBodilessEntity()
			.subscribe((response) -> completed.incrementAndGet(), (ex) -> {
			});
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

}
