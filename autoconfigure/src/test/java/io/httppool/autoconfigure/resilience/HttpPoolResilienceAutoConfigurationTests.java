package io.httppool.autoconfigure.resilience;

import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.httppool.HttpPoolClients;
import io.httppool.autoconfigure.HttpPoolAutoConfiguration;
import io.httppool.resilience.FailureClassifier;
import io.httppool.resilience.FailureKind;
import io.httppool.resilience.HttpPoolResilienceCustomizer;
import io.httppool.resilience.ResiliencePolicy;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class HttpPoolResilienceAutoConfigurationTests {

	private final ApplicationContextRunner runner = runner();

	/**
	 * A context with two clients, the starter and Resilience4j's auto-configurations.
	 */
	static ApplicationContextRunner runner() {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(HttpPoolAutoConfiguration.class,
				HttpPoolResilienceAutoConfiguration.class, WebClientAutoConfiguration.class,
				io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration.class,
				io.github.resilience4j.springboot.retry.autoconfigure.RetryAutoConfiguration.class,
				io.github.resilience4j.springboot.bulkhead.autoconfigure.BulkheadAutoConfiguration.class))
			.withPropertyValues("http.pool.clients.stt.base-url=http://127.0.0.1:9",
					"http.pool.clients.tts.base-url=http://127.0.0.1:9");
	}

	@Test
	void everyClientGetsARetryAndABreakerNamedAfterIt() {
		this.runner.run((context) -> {
			context.getBean(HttpPoolClients.class);
			assertThat(context).hasSingleBean(HttpPoolResilienceCustomizer.class);
			CircuitBreakerRegistry breakers = context.getBean(CircuitBreakerRegistry.class);
			assertThat(breakers.find("stt")).isPresent();
			assertThat(breakers.find("tts")).isPresent();
			CircuitBreaker breaker = breakers.find("stt").get();
			assertThat(breaker.getCircuitBreakerConfig().getSlidingWindowSize()).isEqualTo(5);
			assertThat(breaker.getCircuitBreakerConfig().getMinimumNumberOfCalls()).isEqualTo(5);
			assertThat(breaker.getCircuitBreakerConfig().getFailureRateThreshold()).isEqualTo(100f);
			assertThat(breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1))
				.isEqualTo(2_000L);
			assertThat(breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(7))
				.isEqualTo(60_000L);
			assertThat(breaker.getCircuitBreakerConfig().getPermittedNumberOfCallsInHalfOpenState()).isEqualTo(3);
			assertThat(context.getBean(RetryRegistry.class).find("stt").get().getRetryConfig().getMaxAttempts())
				.isEqualTo(3);
			assertThat(context.getBean(BulkheadRegistry.class).find("stt")).isEmpty();
		});
	}

	@Test
	void perClientKeysShapeTheInstances() {
		this.runner.withPropertyValues("http.pool.clients.stt.circuit-breaker.consecutive-failures=8",
				"http.pool.clients.stt.circuit-breaker.open-duration=5s", "http.pool.clients.stt.retry.max-attempts=4",
				"http.pool.clients.stt.bulkhead.max-concurrent-calls=7")
			.run((context) -> {
				context.getBean(HttpPoolClients.class);
				CircuitBreaker breaker = context.getBean(CircuitBreakerRegistry.class).find("stt").get();
				assertThat(breaker.getCircuitBreakerConfig().getSlidingWindowSize()).isEqualTo(8);
				// initial-open-duration (2s), doubled, capped by open-duration
				assertThat(breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1))
					.isEqualTo(2_000L);
				assertThat(breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(2))
					.isEqualTo(4_000L);
				assertThat(breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(3))
					.isEqualTo(5_000L);
				assertThat(context.getBean(RetryRegistry.class).find("stt").get().getRetryConfig().getMaxAttempts())
					.isEqualTo(4);
				assertThat(context.getBean(BulkheadRegistry.class)
					.find("stt")
					.get()
					.getBulkheadConfig()
					.getMaxConcurrentCalls()).isEqualTo(7);
				assertThat(context.getBean(CircuitBreakerRegistry.class)
					.find("tts")
					.get()
					.getCircuitBreakerConfig()
					.getSlidingWindowSize()).isEqualTo(5);
			});
	}

	@Test
	void resilience4jInstancePropertiesWinOverTheStartersDefaults() {
		this.runner
			.withPropertyValues("resilience4j.circuitbreaker.instances.stt.sliding-window-size=12",
					"resilience4j.circuitbreaker.instances.stt.minimum-number-of-calls=12",
					"resilience4j.circuitbreaker.instances.stt.failure-rate-threshold=50",
					"resilience4j.bulkhead.instances.stt.max-concurrent-calls=3",
					"http.pool.clients.stt.bulkhead.max-concurrent-calls=9")
			.run((context) -> {
				context.getBean(HttpPoolClients.class);
				CircuitBreaker breaker = context.getBean(CircuitBreakerRegistry.class).find("stt").get();
				assertThat(breaker.getCircuitBreakerConfig().getSlidingWindowSize()).isEqualTo(12);
				assertThat(breaker.getCircuitBreakerConfig().getFailureRateThreshold()).isEqualTo(50f);
				assertThat(breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1))
					.isEqualTo(2_000L);
				assertThat(context.getBean(BulkheadRegistry.class)
					.find("stt")
					.get()
					.getBulkheadConfig()
					.getMaxConcurrentCalls()).isEqualTo(3);
			});
	}

	@Test
	void disabledRetryAndBreakerLeaveOnlyTheDeadline() {
		this.runner
			.withPropertyValues("http.pool.clients.stt.retry.enabled=false",
					"http.pool.clients.stt.circuit-breaker.enabled=false")
			.run((context) -> {
				context.getBean(HttpPoolClients.class);
				HttpPoolResilienceCustomizer customizer = context.getBean(HttpPoolResilienceCustomizer.class);
				ResiliencePolicy policy = customizer.policy("stt");
				assertThat(policy).isNotNull();
				assertThat(policy.circuitBreaker()).isNull();
				assertThat(policy.retry()).isNull();
				assertThat(policy.timeout()).hasSeconds(60);
				assertThat(customizer.policy("tts").circuitBreaker()).isNotNull();
				assertThat(context.getBean(CircuitBreakerRegistry.class).find("stt")).isEmpty();
				assertThat(context.getBean(RetryRegistry.class).find("stt")).isEmpty();
			});
	}

	@Test
	void backsOffFromAUserCustomizerAndUsesAUserClassifier() {
		this.runner.withUserConfiguration(UserBeans.class).run((context) -> {
			context.getBean(HttpPoolClients.class);
			assertThat(context).hasSingleBean(HttpPoolResilienceCustomizer.class);
			assertThat(context.getBean(HttpPoolResilienceCustomizer.class)).isSameAs(UserBeans.CUSTOMIZER);
			assertThat(context.getBean(FailureClassifier.class)).isSameAs(UserBeans.CLASSIFIER);
		});
	}

	@Test
	void withoutResilience4jClientsWorkWithoutResilience() {
		this.runner.withClassLoader(new FilteredClassLoader(CircuitBreaker.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(HttpPoolResilienceCustomizer.class);
			assertThat(context.getBean(HttpPoolClients.class).names()).containsExactly("stt", "tts");
		});
	}

	@Test
	void withoutResilience4jSpringBootRegistriesArePrivate() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(HttpPoolAutoConfiguration.class,
					HttpPoolResilienceAutoConfiguration.class, WebClientAutoConfiguration.class))
			.withPropertyValues("http.pool.clients.stt.base-url=http://127.0.0.1:9")
			.run((context) -> {
				context.getBean(HttpPoolClients.class);
				ResiliencePolicy policy = context.getBean(HttpPoolResilienceCustomizer.class).policy("stt");
				assertThat(policy).isNotNull();
				assertThat(policy.circuitBreaker()).isNotNull();
				assertThat(policy.retry()).isNotNull();
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeans {

		static final HttpPoolResilienceCustomizer CUSTOMIZER = new HttpPoolResilienceCustomizer((settings) -> null);

		static final FailureClassifier CLASSIFIER = (failure) -> FailureKind.OTHER;

		@Bean
		HttpPoolResilienceCustomizer userCustomizer() {
			return CUSTOMIZER;
		}

		@Bean
		FailureClassifier userClassifier() {
			return CLASSIFIER;
		}

	}

}
