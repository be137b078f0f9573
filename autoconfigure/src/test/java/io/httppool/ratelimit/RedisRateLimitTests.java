package io.httppool.ratelimit;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import io.httppool.HttpPoolRateLimitedException;
import io.httppool.health.HttpPoolHealthIndicator;
import io.httppool.metrics.HttpPoolMeters;
import io.httppool.ratelimit.RateLimitTesting.Flavour;
import io.httppool.ratelimit.RateLimitTesting.Outcome;
import io.httppool.test.RedisServer;
import io.httppool.test.TestUpstream;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.netty.http.HttpProtocol;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import static io.httppool.ratelimit.RateLimitTesting.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code rate-limit.store=redis} against a real {@code redis-server}: replicas (three
 * application contexts) share one quota, and when Redis goes away mid-run the documented
 * fallback takes over and health says so.
 */
class RedisRateLimitTests {

	private RedisServer redis;

	@BeforeEach
	void startRedis() throws IOException {
		if (!RedisServer.isInstalled()) {
			System.out.println("SKIPPED: redis-server is not installed");
		}
		assumeTrue(RedisServer.isInstalled(), "redis-server is not installed");
		this.redis = RedisServer.start();
	}

	@AfterEach
	void stopRedis() {
		if (this.redis != null) {
			this.redis.stop();
		}
	}

	private ApplicationContextRunner replica(TestUpstream upstream, String key, int requestsPerPeriod, String... more) {
		return RateLimitTesting.runner(upstream.baseUrl())
			.withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + this.redis.port(),
					key("rate-limit.enabled=true"), key("rate-limit.store=redis"),
					key("rate-limit.requests-per-period=" + requestsPerPeriod), key("rate-limit.period=1s"),
					key("rate-limit.max-wait=10s"), key("rate-limit.replicas=3"), key("rate-limit.key=" + key))
			.withPropertyValues(more);
	}

	@Test
	void threeReplicasSharingAQuotaTogetherStayUnderItAndSeeNo429() {
		QuotaUpstream quota = QuotaUpstream.tokenBucket(10, Duration.ofSeconds(1));
		String key = "test:" + UUID.randomUUID();
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.HTTP11).handler(quota).start()) {
			ApplicationContextRunner replica = replica(upstream, key, 10);
			replica.run((first) -> replica.run((second) -> replica.run((third) -> {
				// warm-up: each replica's first call sets its client up
				assertThat(callTogether(1, first, second, third)).extracting(Outcome::status).containsOnly(200);
				quota.forgetArrivals();
				List<Outcome> outcomes = callTogether(8, first, second, third);
				assertThat(outcomes).hasSize(24).extracting(Outcome::status).containsOnly(200);
				assertThat(quota.rejected()).isZero();
				assertThat(quota.accepted()).isEqualTo(24);
				// the replicas' turns are paced to 9 in any second; their arrival
				// upstream
				// jitters with connection setup and scheduling, hence the tolerance
				assertThat(quota.maxInAnyWindow(Duration.ofSeconds(1))).isLessThanOrEqualTo(10 + 2);
				for (ApplicationContext context : List.of(first, second, third)) {
					HttpPoolRateLimiter limiter = RateLimitTesting.limiter(context);
					assertThat(limiter.isOnFallback()).isFalse();
					assertThat(RateLimitTests.rateLimitDetail(context)).containsEntry("store", "redis")
						.containsEntry("fallback", false);
				}
				System.out.println("3 replicas, quota 10/s: max " + quota.maxInAnyWindow(Duration.ofSeconds(1))
						+ " requests in any 1 s window, " + quota.rejected() + " answered 429");
			})));
		}
	}

	@Test
	void whenRedisStopsMidRunEachReplicaPacesToItsShareAndHealthIsDegraded() {
		QuotaUpstream quota = QuotaUpstream.tokenBucket(30, Duration.ofSeconds(1));
		String key = "test:" + UUID.randomUUID();
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.HTTP11).handler(quota).start()) {
			ApplicationContextRunner replica = replica(upstream, key, 30);
			replica.run((first) -> replica.run((second) -> replica.run((third) -> {
				assertThat(callTogether(10, first, second, third)).extracting(Outcome::status).containsOnly(200);
				assertThat(RateLimitTests.health(first).getStatus().getCode()).isEqualTo("UP");
				this.redis.stop();
				List<Outcome> outcomes = callTogether(12, first, second, third);
				assertThat(outcomes).extracting(Outcome::status).containsOnly(200);
				assertThat(quota.rejected()).isZero();
				assertThat(quota.maxInAnyWindow(Duration.ofSeconds(1))).isLessThanOrEqualTo(30 + 2);
				for (ApplicationContext context : List.of(first, second, third)) {
					assertThat(RateLimitTesting.limiter(context).isOnFallback()).isTrue();
					assertThat(RateLimitTests.health(context).getStatus()).isEqualTo(HttpPoolHealthIndicator.DEGRADED);
					Map<String, Object> detail = RateLimitTests.rateLimitDetail(context);
					assertThat(detail).containsEntry("store", "redis")
						.containsEntry("fallback", true)
						.containsEntry("fallbacks", 1L)
						.containsEntry("rejections", 0L);
				}
				SimpleMeterRegistry registry = new SimpleMeterRegistry();
				first.getBean(RateLimitMeterBinder.class).bindTo(registry);
				assertThat(registry.get(HttpPoolMeters.RATE_LIMIT_FALLBACK).gauge().value()).isEqualTo(1);
			})));
		}
	}

	@Test
	void withRedisFallbackRejectCallsFailTypedWhileRedisIsDown() {
		String key = "test:" + UUID.randomUUID();
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.HTTP11).start()) {
			replica(upstream, key, 30, key("rate-limit.redis-fallback=reject")).run((context) -> {
				assertThat(Flavour.REST_CLIENT.calls(RateLimitTesting.client(context), 2)).extracting(Outcome::status)
					.containsOnly(200);
				this.redis.stop();
				List<Outcome> outcomes = Flavour.WEB_CLIENT.calls(RateLimitTesting.client(context), 2);
				assertThat(outcomes).allSatisfy((outcome) -> {
					HttpPoolRateLimitedException ex = outcome.find(HttpPoolRateLimitedException.class);
					assertThat(ex).isNotNull();
					assertThat(ex.getReason()).isEqualTo(HttpPoolRateLimitedException.Reason.STORE_UNAVAILABLE);
					assertThat(ex.getMessage()).contains("HTTP pool 'quota'")
						.contains("http.pool.clients.quota.rate-limit.redis-fallback");
				});
				assertThat(upstream.requests()).isEqualTo(2);
				assertThat(RateLimitTests.health(context).getStatus()).isEqualTo(HttpPoolHealthIndicator.DEGRADED);
			});
		}
	}

	private static List<Outcome> callTogether(int callsEach, ApplicationContext... replicas) {
		Flavour[] flavours = { Flavour.WEB_CLIENT, Flavour.REST_CLIENT, Flavour.WEB_CLIENT };
		List<CompletableFuture<List<Outcome>>> calls = new java.util.ArrayList<>();
		for (int i = 0; i < replicas.length; i++) {
			Flavour flavour = flavours[i % flavours.length];
			ApplicationContext context = replicas[i];
			calls.add(CompletableFuture.supplyAsync(() -> flavour.calls(RateLimitTesting.client(context), callsEach)));
		}
		return calls.stream().flatMap((call) -> call.join().stream()).toList();
	}

}
