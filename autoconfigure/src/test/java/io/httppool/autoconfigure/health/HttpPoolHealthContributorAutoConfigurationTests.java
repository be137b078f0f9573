package io.httppool.autoconfigure.health;

import java.util.ArrayList;
import java.util.List;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.httppool.autoconfigure.HttpPoolAutoConfiguration;
import io.httppool.health.CircuitBreakerStates;
import io.httppool.health.HttpPoolHealthIndicator;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class HttpPoolHealthContributorAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HttpPoolAutoConfiguration.class,
				HttpPoolHealthContributorAutoConfiguration.class))
		.withPropertyValues("http.pool.shutdown-timeout=1s", "http.pool.clients.stt.base-url=http://127.0.0.1:9",
				"http.pool.clients.tts.base-url=http://127.0.0.1:9", "http.pool.clients.tts.protocol=h2c");

	@Test
	void whenDefaultsThenHttpPoolsHasOneUpComponentPerClient() {
		this.runner.run((context) -> {
			assertThat(context).hasBean("httpPoolsHealthContributor");
			CompositeHealthContributor httpPools = context.getBean("httpPoolsHealthContributor",
					CompositeHealthContributor.class);
			assertThat(names(httpPools)).containsExactly("stt", "tts");
			Health stt = health(httpPools, "stt");
			assertThat(stt.getStatus()).isEqualTo(Status.UP);
			assertThat(stt.getDetails()).containsEntry(HttpPoolHealthIndicator.PROTOCOL, "HTTP/1.1")
				.containsEntry(HttpPoolHealthIndicator.ACTIVE_CONNECTIONS, 0)
				.containsEntry(HttpPoolHealthIndicator.IDLE_CONNECTIONS, 0)
				.containsEntry(HttpPoolHealthIndicator.PENDING_ACQUIRES, 0)
				.containsEntry(HttpPoolHealthIndicator.MAX_CONNECTIONS, 50)
				.containsEntry(HttpPoolHealthIndicator.UTILIZATION, 0.0)
				.doesNotContainKeys(HttpPoolHealthIndicator.ACTIVE_STREAMS,
						HttpPoolHealthIndicator.MAX_CONCURRENT_STREAMS, HttpPoolHealthIndicator.CIRCUIT_BREAKER);
			Health tts = health(httpPools, "tts");
			assertThat(tts.getDetails()).containsEntry(HttpPoolHealthIndicator.PROTOCOL, "HTTP/2")
				.containsEntry(HttpPoolHealthIndicator.ACTIVE_STREAMS, 0)
				.containsEntry(HttpPoolHealthIndicator.MAX_CONCURRENT_STREAMS, 100);
		});
	}

	@Test
	void whenNoClientIsConfiguredThenHttpPoolsIsEmpty() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(HttpPoolAutoConfiguration.class,
					HttpPoolHealthContributorAutoConfiguration.class))
			.run((context) -> assertThat(names(context.getBean(CompositeHealthContributor.class))).isEmpty());
	}

	@Test
	void whenResilience4jHasABreakerOfTheClientsNameThenItsStateIsADetail() {
		this.runner.withBean(CircuitBreakerRegistry.class, CircuitBreakerRegistry::ofDefaults).run((context) -> {
			assertThat(context).hasSingleBean(CircuitBreakerStates.class);
			CircuitBreaker breaker = context.getBean(CircuitBreakerRegistry.class).circuitBreaker("stt");
			CompositeHealthContributor httpPools = context.getBean(CompositeHealthContributor.class);
			assertThat(health(httpPools, "stt").getDetails()).containsEntry(HttpPoolHealthIndicator.CIRCUIT_BREAKER,
					"CLOSED");
			breaker.transitionToOpenState();
			assertThat(health(httpPools, "stt").getDetails()).containsEntry(HttpPoolHealthIndicator.CIRCUIT_BREAKER,
					"OPEN");
			assertThat(health(httpPools, "tts").getDetails())
				.doesNotContainKey(HttpPoolHealthIndicator.CIRCUIT_BREAKER);
			assertThat(context.getBean(CircuitBreakerRegistry.class).find("tts")).isEmpty();
		});
	}

	@Test
	void whenResilience4jIsPresentWithoutRegistryThenNoBreakerDetail() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(CircuitBreakerStates.class);
			assertThat(health(context.getBean(CompositeHealthContributor.class), "stt").getDetails())
				.doesNotContainKey(HttpPoolHealthIndicator.CIRCUIT_BREAKER);
		});
	}

	@Test
	void whenResilience4jIsAbsentThenHealthHasNoBreakerDetail() {
		this.runner.withClassLoader(new FilteredClassLoader(CircuitBreakerRegistry.class)).run((context) -> {
			assertThat(context).doesNotHaveBean(CircuitBreakerStates.class);
			assertThat(health(context.getBean(CompositeHealthContributor.class), "stt").getStatus())
				.isEqualTo(Status.UP);
		});
	}

	@Test
	void whenSpringBootHealthIsAbsentThenNoContributor() {
		this.runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("httpPoolsHealthContributor"));
	}

	@Test
	void whenDisabledThenNoContributor() {
		this.runner.withPropertyValues("management.health.httppools.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("httpPoolsHealthContributor"));
	}

	@Test
	void whenHealthDefaultsAreDisabledThenNoContributor() {
		this.runner.withPropertyValues("management.health.defaults.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("httpPoolsHealthContributor"));
	}

	@Test
	void whenUserDefinesHttpPoolsContributorThenAutoConfigurationBacksOff() {
		this.runner.withUserConfiguration(UserContributor.class).run((context) -> {
			CompositeHealthContributor httpPools = context.getBean("httpPoolsHealthContributor",
					CompositeHealthContributor.class);
			assertThat(names(httpPools)).containsExactly("mine");
		});
	}

	@Test
	void whenUserDefinesCircuitBreakerStatesThenItIsUsed() {
		this.runner.withBean(CircuitBreakerStates.class, () -> (name) -> "FORCED_OPEN")
			.withBean(CircuitBreakerRegistry.class, CircuitBreakerRegistry::ofDefaults)
			.run((context) -> {
				assertThat(context).hasSingleBean(CircuitBreakerStates.class);
				assertThat(health(context.getBean(CompositeHealthContributor.class), "stt").getDetails())
					.containsEntry(HttpPoolHealthIndicator.CIRCUIT_BREAKER, "FORCED_OPEN");
			});
	}

	@Test
	void whenThresholdsAreInvertedThenStartupFailsNamingTheKey() {
		this.runner
			.withPropertyValues("http.pool.clients.stt.health.degraded-threshold=0.95",
					"http.pool.clients.stt.health.unhealthy-threshold=0.9")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("http.pool.clients.stt.health.degraded-threshold")
				.hasMessageContaining("0.95"));
	}

	private static List<String> names(HealthContributors contributors) {
		List<String> names = new ArrayList<>();
		contributors.forEach((entry) -> names.add(entry.name()));
		return names;
	}

	private static Health health(CompositeHealthContributor contributors, String name) {
		HealthIndicator indicator = (HealthIndicator) contributors.getContributor(name);
		assertThat(indicator).isNotNull();
		Health health = indicator.health();
		assertThat(health).isNotNull();
		return health;
	}

	@Configuration(proxyBeanMethods = false)
	static class UserContributor {

		@Bean
		CompositeHealthContributor httpPoolsHealthContributor() {
			return CompositeHealthContributor.fromMap(java.util.Map.of("mine", (HealthIndicator) Health.up()::build));
		}

	}

}
