package io.httppool.autoconfigure.resilience;

import java.io.IOException;
import java.time.Duration;

import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowSynchronizationStrategy;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.ConfigurationNotFoundException;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.RetryRegistry;
import io.httppool.HttpPoolClientSettings;
import io.httppool.HttpPoolClients;
import io.httppool.resilience.FailureClassifier;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Resilience4j owns the configuration of the clients' instances: its own keys
 * ({@code instances.<client>}, {@code base-config}, {@code configs.default}, every key of
 * its properties classes) layered over the {@code http.pool.*} settings, which are the
 * defaults each instance inherits.
 */
class Resilience4jConfigurationOwnershipTests {

	private final ApplicationContextRunner runner = HttpPoolResilienceAutoConfigurationTests.runner();

	@Test
	void configsDefaultIsInheritedByEveryClientOverItsHttpPoolSettings() {
		this.runner
			.withPropertyValues("resilience4j.circuitbreaker.configs.default.failure-rate-threshold=50",
					"resilience4j.circuitbreaker.configs.default.slow-call-duration-threshold=3s",
					"resilience4j.retry.configs.default.max-attempts=5",
					"http.pool.clients.tts.circuit-breaker.consecutive-failures=9",
					"http.pool.clients.tts.retry.max-attempts=2")
			.run((context) -> {
				context.getBean(HttpPoolClients.class);
				CircuitBreakerConfig stt = breaker(context, "stt");
				assertThat(stt.getFailureRateThreshold()).isEqualTo(50f);
				assertThat(stt.getSlowCallDurationThreshold()).isEqualTo(Duration.ofSeconds(3));
				// keys configs.default does not set keep the http.pool values
				assertThat(stt.getSlidingWindowSize()).isEqualTo(5);
				assertThat(stt.getWaitIntervalFunctionInOpenState().apply(1)).isEqualTo(2_000L);
				CircuitBreakerConfig tts = breaker(context, "tts");
				assertThat(tts.getFailureRateThreshold()).isEqualTo(50f);
				assertThat(tts.getSlidingWindowSize()).isEqualTo(9);
				// a key Resilience4j sets wins over the same setting of http.pool
				RetryRegistry retries = context.getBean(RetryRegistry.class);
				assertThat(retries.find("stt").get().getRetryConfig().getMaxAttempts()).isEqualTo(5);
				assertThat(retries.find("tts").get().getRetryConfig().getMaxAttempts()).isEqualTo(5);
			});
	}

	@Test
	void aBaseConfigTakesThePlaceOfConfigsDefaultAndTheInstanceKeysWinOverIt() {
		this.runner
			.withPropertyValues("resilience4j.circuitbreaker.configs.default.failure-rate-threshold=50",
					"resilience4j.circuitbreaker.configs.strict.failure-rate-threshold=20",
					"resilience4j.circuitbreaker.configs.strict.sliding-window-size=40",
					"resilience4j.circuitbreaker.instances.stt.base-config=strict",
					"resilience4j.circuitbreaker.instances.stt.sliding-window-size=30",
					"resilience4j.retry.configs.patient.max-attempts=6",
					"resilience4j.retry.instances.stt.base-config=patient",
					"resilience4j.bulkhead.configs.narrow.max-concurrent-calls=2",
					"resilience4j.bulkhead.instances.stt.base-config=narrow")
			.run((context) -> {
				context.getBean(HttpPoolClients.class);
				CircuitBreakerConfig stt = breaker(context, "stt");
				assertThat(stt.getFailureRateThreshold()).isEqualTo(20f);
				assertThat(stt.getSlidingWindowSize()).isEqualTo(30);
				assertThat(stt.getMinimumNumberOfCalls()).isEqualTo(5);
				assertThat(breaker(context, "tts").getFailureRateThreshold()).isEqualTo(50f);
				RetryRegistry retries = context.getBean(RetryRegistry.class);
				assertThat(retries.find("stt").get().getRetryConfig().getMaxAttempts()).isEqualTo(6);
				assertThat(retries.find("tts").get().getRetryConfig().getMaxAttempts()).isEqualTo(3);
				// an instance of the client's name gives it a bulkhead
				BulkheadRegistry bulkheads = context.getBean(BulkheadRegistry.class);
				assertThat(bulkheads.find("stt").get().getBulkheadConfig().getMaxConcurrentCalls()).isEqualTo(2);
				assertThat(bulkheads.find("tts")).isEmpty();
			});
	}

	@Test
	void anUnknownBaseConfigStopsStartupNamingIt() {
		this.runner.withPropertyValues("resilience4j.circuitbreaker.instances.stt.base-config=missing")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(ConfigurationNotFoundException.class)
					.hasMessageContaining("missing");
			});
	}

	@Test
	void maxWaitDurationOfTheBulkheadIsHonoured() {
		this.runner
			.withPropertyValues("http.pool.clients.stt.bulkhead.max-concurrent-calls=4",
					"resilience4j.bulkhead.instances.stt.max-wait-duration=250ms",
					"resilience4j.bulkhead.configs.default.max-concurrent-calls=9")
			.run((context) -> {
				context.getBean(HttpPoolClients.class);
				BulkheadRegistry bulkheads = context.getBean(BulkheadRegistry.class);
				BulkheadConfig stt = bulkheads.find("stt").get().getBulkheadConfig();
				assertThat(stt.getMaxWaitDuration()).isEqualTo(Duration.ofMillis(250));
				// configs.default sits above http.pool
				assertThat(stt.getMaxConcurrentCalls()).isEqualTo(9);
				// configs.default alone gives no client a bulkhead
				assertThat(bulkheads.find("tts")).isEmpty();
			});
	}

	@Test
	void theBreakerRecordsOnResilience4jsLockFreeWindow() {
		this.runner.run((context) -> {
			context.getBean(HttpPoolClients.class);
			assertThat(breaker(context, "stt").getSlidingWindowSynchronizationStrategy())
				.isEqualTo(SlidingWindowSynchronizationStrategy.LOCK_FREE);
		});
	}

	@Test
	void theHttpPoolBackoffIsResilience4jsExponentialRandomBackoffWithinItsSpread() {
		this.runner
			.withPropertyValues("http.pool.clients.stt.retry.initial-backoff=100ms",
					"http.pool.clients.stt.retry.multiplier=2", "http.pool.clients.stt.retry.jitter=0.5",
					"http.pool.clients.stt.retry.max-backoff=1s", "http.pool.clients.tts.retry.initial-backoff=100ms",
					"http.pool.clients.tts.retry.jitter=0")
			.run((context) -> {
				IntervalBiFunction<Object> stt = factory(context).retryConfig(settings(context, "stt"))
					.getIntervalBiFunction();
				Either<Throwable, Object> failure = Either.left(new IOException("reset"));
				for (int i = 0; i < 200; i++) {
					assertThat(stt.apply(1, failure)).isBetween(50L, 151L);
					assertThat(stt.apply(3, failure)).isBetween(200L, 601L);
				}
				IntervalBiFunction<Object> tts = factory(context).retryConfig(settings(context, "tts"))
					.getIntervalBiFunction();
				assertThat(tts.apply(4, failure)).isEqualTo(800L);
			});
	}

	private static CircuitBreakerConfig breaker(ApplicationContext context, String name) {
		return context.getBean(CircuitBreakerRegistry.class).find(name).get().getCircuitBreakerConfig();
	}

	private static HttpPoolClientSettings settings(ApplicationContext context, String name) {
		return context.getBean(HttpPoolClients.class).get(name).settings();
	}

	private static HttpPoolResiliencePolicyFactory factory(ApplicationContext context) {
		return new HttpPoolResiliencePolicyFactory(CircuitBreakerRegistry.ofDefaults(), RetryRegistry.ofDefaults(),
				BulkheadRegistry.ofDefaults(), Binder.get(context.getEnvironment()),
				HttpPoolResiliencePolicyFactory.Customizers.none(), FailureClassifier.standard());
	}

}
