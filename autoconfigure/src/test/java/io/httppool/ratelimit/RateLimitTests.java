package io.httppool.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.github.bucket4j.Bucket;
import io.httppool.HttpPoolClient;
import io.httppool.HttpPoolDeadlineExceededException;
import io.httppool.HttpPoolRateLimitedException;
import io.httppool.metrics.HttpPoolMeters;
import io.httppool.ratelimit.RateLimitTesting.Flavour;
import io.httppool.ratelimit.RateLimitTesting.Outcome;
import io.httppool.test.TestUpstream;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServerResponse;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.context.ApplicationContext;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;

import static io.httppool.ratelimit.RateLimitTesting.key;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client with {@code rate-limit.enabled} against a real upstream that enforces a quota:
 * what the upstream saw, what the callers saw, and what health and the meters report.
 */
class RateLimitTests {

	@Test
	void withoutRateLimitNoFilterOrInterceptorIsInstalled() {
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.HTTP11).start()) {
			RateLimitTesting.runner(upstream.baseUrl()).run((context) -> {
				assertThat(context.getBean(HttpPoolRateLimitCustomizer.class).limiter(RateLimitTesting.CLIENT))
					.isNull();
				HttpPoolClient client = RateLimitTesting.client(context);
				List<ExchangeFilterFunction> filters = new ArrayList<>();
				client.webClient().mutate().filters(filters::addAll);
				List<ClientHttpRequestInterceptor> interceptors = client.restClientInterceptors();
				assertThat(filters).isNotEmpty().noneMatch(RateLimitExchangeFilter.class::isInstance);
				assertThat(interceptors).isNotEmpty().noneMatch(RateLimitRequestInterceptor.class::isInstance);
				assertThat(health(context).getDetails()).doesNotContainKey("rateLimit");
			});
		}
	}

	@Test
	void theLimiterSitsInsideTheResilienceFilterAndOutsideTheClientGuard() {
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.HTTP11).start()) {
			RateLimitTesting.runner(upstream.baseUrl())
				.withPropertyValues(key("rate-limit.enabled=true"))
				.run((context) -> {
					HttpPoolClient client = RateLimitTesting.client(context);
					List<String> filters = new ArrayList<>();
					client.webClient()
						.mutate()
						.filters((list) -> list.forEach((f) -> filters.add(f.getClass().getSimpleName())));
					List<String> interceptors = client.restClientInterceptors()
						.stream()
						.map((i) -> i.getClass().getSimpleName())
						.toList();
					assertThat(filters).containsExactly("ResilientExchangeFilter", "RateLimitExchangeFilter",
							"ClientGuard");
					assertThat(interceptors).containsExactly("ResilientRequestInterceptor",
							"RateLimitRequestInterceptor", "ClientGuard");
				});
		}
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void aConfiguredQuotaPacesCallsSoThatTheUpstreamNeverAnswers429(Flavour flavour) {
		QuotaUpstream quota = QuotaUpstream.slidingWindow(10, Duration.ofSeconds(1));
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.HTTP11).handler(quota).start()) {
			RateLimitTesting.runner(upstream.baseUrl())
				.withPropertyValues(key("rate-limit.enabled=true"), key("rate-limit.requests-per-period=10"),
						key("rate-limit.period=1s"), key("rate-limit.max-wait=10s"))
				.run((context) -> {
					List<Outcome> outcomes = flavour.calls(RateLimitTesting.client(context), 25);
					assertThat(outcomes).extracting(Outcome::status).containsOnly(200);
					assertThat(quota.rejected()).isZero();
					assertThat(quota.accepted()).isEqualTo(25);
					assertThat(quota.maxInAnyWindow(Duration.ofSeconds(1))).isLessThanOrEqualTo(10);
					HttpPoolRateLimiter limiter = RateLimitTesting.limiter(context);
					assertThat(limiter.waits()).isGreaterThan(10);
					assertThat(limiter.queued()).isZero();
					Map<String, Object> detail = rateLimitDetail(context);
					assertThat(detail).containsEntry("store", "local")
						.containsEntry("requestsPerPeriod", 10L)
						.containsEntry("period", "PT1S")
						.containsEntry("source", "configured")
						.containsEntry("fallback", false)
						.containsEntry("rejections", 0L);
					SimpleMeterRegistry registry = new SimpleMeterRegistry();
					context.getBean(RateLimitMeterBinder.class).bindTo(registry);
					assertThat(registry.get(HttpPoolMeters.RATE_LIMIT_WAITS)
						.tag(HttpPoolMeters.CLIENT, RateLimitTesting.CLIENT)
						.functionCounter()
						.count()).isEqualTo(limiter.waits());
					assertThat(registry.get(HttpPoolMeters.RATE_LIMIT_FALLBACK).gauge().value()).isZero();
				});
		}
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void aCallThatWouldWaitPastMaxWaitFailsTypedNamingTheClientAndTheSetting(Flavour flavour) {
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.HTTP11).start()) {
			RateLimitTesting.runner(upstream.baseUrl())
				.withPropertyValues(key("rate-limit.enabled=true"), key("rate-limit.requests-per-period=1"),
						key("rate-limit.period=1m"), key("rate-limit.max-wait=200ms"))
				.run((context) -> {
					List<Outcome> outcomes = flavour.calls(RateLimitTesting.client(context), 3);
					assertThat(outcomes).filteredOn((outcome) -> outcome.status() == 200).hasSize(1);
					List<HttpPoolRateLimitedException> rejected = outcomes.stream()
						.map((outcome) -> outcome.find(HttpPoolRateLimitedException.class))
						.filter((ex) -> ex != null)
						.toList();
					assertThat(rejected).hasSize(2).allSatisfy((ex) -> {
						assertThat(ex.getClientName()).isEqualTo(RateLimitTesting.CLIENT);
						assertThat(ex.getReason()).isEqualTo(HttpPoolRateLimitedException.Reason.MAX_WAIT);
						assertThat(ex.getMessage()).contains("HTTP pool 'quota'")
							.contains("http.pool.clients.quota.rate-limit.max-wait")
							.contains("1 per PT1M");
					});
					assertThat(upstream.requests()).isEqualTo(1);
					assertThat(RateLimitTesting.limiter(context).rejections()).isEqualTo(2);
				});
		}
	}

	@Test
	void beyondMaxQueuedACallFailsAtOnceWhileTheQueuedOneWaitsItsTurn() {
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.HTTP11).start()) {
			RateLimitTesting.runner(upstream.baseUrl())
				.withPropertyValues(key("rate-limit.enabled=true"), key("rate-limit.requests-per-period=1"),
						key("rate-limit.period=1s"), key("rate-limit.max-wait=10s"), key("rate-limit.max-queued=1"))
				.run((context) -> {
					List<Outcome> outcomes = Flavour.WEB_CLIENT.calls(RateLimitTesting.client(context), 3);
					assertThat(outcomes).filteredOn((outcome) -> outcome.status() == 200).hasSize(2);
					HttpPoolRateLimitedException full = outcomes.stream()
						.map((outcome) -> outcome.find(HttpPoolRateLimitedException.class))
						.filter((ex) -> ex != null)
						.findFirst()
						.orElseThrow();
					assertThat(full.getReason()).isEqualTo(HttpPoolRateLimitedException.Reason.QUEUE_FULL);
					assertThat(full.getMessage()).contains("http.pool.clients.quota.rate-limit.max-queued");
					assertThat(upstream.requests()).isEqualTo(2);
				});
		}
	}

	@Test
	void aCancelledWaitGivesItsTurnBack() {
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.HTTP11).start()) {
			RateLimitTesting.runner(upstream.baseUrl())
				.withPropertyValues(key("rate-limit.enabled=true"), key("rate-limit.requests-per-period=1"),
						key("rate-limit.period=2s"), key("rate-limit.max-wait=3s"), key("retry.enabled=false"))
				.run((context) -> {
					HttpPoolClient client = RateLimitTesting.client(context);
					assertThat(Flavour.WEB_CLIENT.calls(client, 1)).extracting(Outcome::status).containsExactly(200);
					// waits for the token due in 2 s, then gives up after 100 ms
					Mono<Integer> cancelled = client.webClient()
						.get()
						.uri("/")
						.exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode().value()))
						.timeout(Duration.ofMillis(100), Mono.just(-1));
					assertThat(cancelled.block(Duration.ofSeconds(5))).isEqualTo(-1);
					assertThat(RateLimitTesting.limiter(context).queued()).isZero();
					// the given-back token lets the next call go when it comes, not 2 s
					// later
					List<Outcome> next = Flavour.WEB_CLIENT.calls(client, 1);
					assertThat(next).extracting(Outcome::status).containsExactly(200);
					List<Outcome> afterThat = Flavour.WEB_CLIENT.calls(client, 1);
					assertThat(afterThat).extracting(Outcome::status)
						.as(() -> String.valueOf(afterThat.get(0).error()))
						.containsExactly(200);
					assertThat(upstream.requests()).isEqualTo(3);
				});
		}
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void theCallsDeadlineEndsAWaitForItsTurnTypedAndTheWaitIsGivenUp(Flavour flavour) {
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.HTTP11).start()) {
			RateLimitTesting.runner(upstream.baseUrl())
				.withPropertyValues(key("rate-limit.enabled=true"), key("rate-limit.requests-per-period=1"),
						key("rate-limit.period=1m"), key("rate-limit.max-wait=2m"), key("timeout=300ms"))
				.run((context) -> {
					HttpPoolClient client = RateLimitTesting.client(context);
					assertThat(flavour.calls(client, 1)).extracting(Outcome::status).containsExactly(200);
					Outcome waited = flavour.calls(client, 1).get(0);
					assertThat(waited.find(HttpPoolDeadlineExceededException.class)).as("%s", waited.error())
						.isNotNull();
					assertThat(RateLimitTesting.limiter(context).queued()).isZero();
					assertThat(upstream.requests()).isEqualTo(1);
					assertThat(Thread.currentThread().isInterrupted()).isFalse();
				});
		}
	}

	@ParameterizedTest
	@EnumSource(HeaderFamily.class)
	void theQuotaIsLearnedFromEachHeaderFamily(HeaderFamily family) {
		AtomicInteger calls = new AtomicInteger();
		List<Long> arrivals = new java.util.concurrent.CopyOnWriteArrayList<>();
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.HTTP11).handler((request, response) -> {
			arrivals.add(System.nanoTime());
			family.answer(calls.getAndIncrement(), response);
			return response.sendString(Mono.just("ok"));
		}).start()) {
			RateLimitTesting.runner(upstream.baseUrl())
				.withPropertyValues(key("rate-limit.enabled=true"), key("rate-limit.period=1s"),
						key("rate-limit.max-wait=5s"), key("retry.enabled=false"))
				.run((context) -> {
					HttpPoolClient client = RateLimitTesting.client(context);
					HttpPoolRateLimiter limiter = RateLimitTesting.limiter(context);
					assertThat(limiter.state().source()).isEqualTo(RateLimitState.SOURCE_NONE);
					Flavour.WEB_CLIENT.calls(client, 1);
					Flavour.REST_CLIENT.calls(client, 1);
					assertThat(arrivals).hasSize(2);
					// the first answer said: nothing left for a second
					assertThat(Duration.ofNanos(arrivals.get(1) - arrivals.get(0)))
						.isGreaterThanOrEqualTo(Duration.ofMillis(800));
					assertThat(limiter.waits()).isEqualTo(1);
					RateLimitState state = limiter.state();
					assertThat(state.source())
						.isEqualTo(family.learnsLimit ? RateLimitState.SOURCE_HEADERS : RateLimitState.SOURCE_NONE);
					if (family.learnsLimit) {
						assertThat(state.requestsPerPeriod()).isEqualTo(2);
						assertThat(state.period()).isEqualTo(Duration.ofSeconds(1));
					}
				});
		}
	}

	@Test
	void invalidValuesStopStartupNamingTheFullKey() {
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.HTTP11).start()) {
			assertStartupFails(upstream, "http.pool.clients.quota.rate-limit.replicas must be at most"
					+ " rate-limit.requests-per-period (3), so that each replica's share is at least one request but was 5",
					key("rate-limit.requests-per-period=3"), key("rate-limit.replicas=5"));
			assertStartupFails(upstream,
					"http.pool.clients.quota.rate-limit.max-wait must be a positive duration but was PT0S",
					key("rate-limit.max-wait=0s"));
			assertStartupFails(upstream,
					"http.pool.defaults.rate-limit.requests-per-period must be at least 1 but was 0",
					"http.pool.defaults.rate-limit.requests-per-period=0");
			assertStartupFails(upstream, "http.pool.clients.quota.rate-limit.max-queued must be at least 1 but was 0",
					key("rate-limit.max-queued=0"));
		}
	}

	@Test
	void withoutBucket4jAnEnabledRateLimitStopsStartup() {
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.HTTP11).start()) {
			RateLimitTesting.runner(upstream.baseUrl())
				.withClassLoader(new FilteredClassLoader(Bucket.class))
				.withPropertyValues(key("rate-limit.enabled=true"))
				.run((context) -> assertThat(context).getFailure()
					.rootCause()
					.hasMessage("http.pool.clients.quota.rate-limit.enabled must be false, unless"
							+ " com.bucket4j:bucket4j_jdk17-core is on the classpath (the starter brings it) but was true"));
			RateLimitTesting.runner(upstream.baseUrl())
				.withClassLoader(new FilteredClassLoader(Bucket.class))
				.run((context) -> assertThat(context).hasNotFailed()
					.doesNotHaveBean(HttpPoolRateLimitCustomizer.class));
		}
	}

	@Test
	void withoutLettuceTheRedisStoreStopsStartup() {
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.HTTP11).start()) {
			RateLimitTesting.runner(upstream.baseUrl())
				.withClassLoader(new FilteredClassLoader(io.lettuce.core.RedisClient.class))
				.withPropertyValues(key("rate-limit.enabled=true"), key("rate-limit.store=redis"))
				.run((context) -> assertThat(context).getFailure()
					.rootCause()
					.hasMessage("http.pool.clients.quota.rate-limit.store must be local, unless io.lettuce:lettuce-core"
							+ " and com.bucket4j:bucket4j_jdk17-lettuce are on the classpath but was redis"));
		}
	}

	private static void assertStartupFails(TestUpstream upstream, String message, String... properties) {
		RateLimitTesting.runner(upstream.baseUrl())
			.withPropertyValues(properties)
			.run((context) -> assertThat(context).getFailure().rootCause().hasMessage(message));
	}

	static Health health(ApplicationContext context) {
		CompositeHealthContributor contributors = context.getBean("httpPoolsHealthContributor",
				CompositeHealthContributor.class);
		HealthIndicator indicator = (HealthIndicator) contributors.getContributor(RateLimitTesting.CLIENT);
		assertThat(indicator).isNotNull();
		return indicator.health();
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> rateLimitDetail(ApplicationContext context) {
		Object detail = health(context).getDetails().get("rateLimit");
		assertThat(detail).isInstanceOf(Map.class);
		return (Map<String, Object>) detail;
	}

	/**
	 * The ways an upstream says "nothing left for a second" on its first answer.
	 */
	enum HeaderFamily {

		OPENAI(true,
				(response) -> response.header("x-ratelimit-limit-requests", "2")
					.header("x-ratelimit-remaining-requests", "0")
					.header("x-ratelimit-reset-requests", "1s")),

		IETF_DRAFT_7(true,
				(response) -> response.header("RateLimit", "limit=2, remaining=0, reset=1")
					.header("RateLimit-Policy", "2;w=1")),

		IETF_DRAFT_8(true,
				(response) -> response.header("RateLimit", "\"default\";r=0;t=1")
					.header("RateLimit-Policy", "\"default\";q=2;w=1")),

		RETRY_AFTER(false,
				(response) -> response.status(HttpResponseStatus.TOO_MANY_REQUESTS).header("Retry-After", "1"));

		final boolean learnsLimit;

		private final Consumer<HttpServerResponse> firstAnswer;

		HeaderFamily(boolean learnsLimit, Consumer<HttpServerResponse> firstAnswer) {
			this.learnsLimit = learnsLimit;
			this.firstAnswer = firstAnswer;
		}

		void answer(int call, HttpServerResponse response) {
			if (call == 0) {
				this.firstAnswer.accept(response);
			}
		}

	}

}
