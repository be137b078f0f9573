package io.httppool.autoconfigure.concurrency;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import io.httppool.Causes;
import io.httppool.HttpPoolConcurrencyLimitException;
import io.httppool.autoconfigure.HttpPoolAutoConfiguration;
import io.httppool.autoconfigure.metrics.HttpPoolMetricsAutoConfiguration;
import io.httppool.autoconfigure.resilience.HttpPoolResilienceAutoConfiguration;
import io.httppool.concurrency.HttpPoolConcurrencyCustomizer;
import io.httppool.metrics.HttpPoolMeters;
import io.httppool.test.Gate;
import io.httppool.test.TestUpstream;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.netty.http.HttpProtocol;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Wiring of the adaptive concurrency limit: off by default, on per client, both clients
 * refuse calls beyond the limit with a typed exception, the gauge, the back-off and the
 * class condition.
 */
class HttpPoolConcurrencyAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HttpPoolAutoConfiguration.class,
				HttpPoolResilienceAutoConfiguration.class, HttpPoolConcurrencyAutoConfiguration.class,
				HttpPoolMetricsAutoConfiguration.class, WebClientAutoConfiguration.class,
				RestClientAutoConfiguration.class, SslAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
		.withPropertyValues("http.pool.shutdown-timeout=2s", "http.pool.clients.up.protocol=http1",
				"http.pool.clients.up.base-url=http://127.0.0.1:9");

	@Test
	void byDefaultNoClientHasAnAdaptiveLimit() {
		this.runner.run((context) -> {
			assertThat(context.getBean(HttpPoolConcurrencyCustomizer.class).limit("up")).isNull();
			assertThat(context.getBean(MeterRegistry.class).find(HttpPoolMeters.CONCURRENCY_LIMIT).gauge()).isNull();
		});
	}

	@Test
	void anAdaptiveClientStartsAtTheInitialLimitAndHasAGauge() {
		this.runner
			.withPropertyValues("http.pool.clients.up.concurrency.adaptive=true",
					"http.pool.clients.up.concurrency.initial-limit=7")
			.run((context) -> {
				assertThat(context.getBean(HttpPoolConcurrencyCustomizer.class).limit("up")).isEqualTo(7);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				context.getBean(io.httppool.autoconfigure.concurrency.HttpPoolConcurrencyMeterBinder.class)
					.bindTo(registry);
				assertThat(registry.get(HttpPoolMeters.CONCURRENCY_LIMIT).tag("client", "up").gauge().value())
					.isEqualTo(7);
			});
	}

	@ParameterizedTest
	@ValueSource(strings = { "web", "rest" })
	void aCallBeyondTheLimitFailsAtOnceWithATypedExceptionAndNeverReachesTheUpstream(String flavour) {
		Gate gate = new Gate();
		gate.close();
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.HTTP11).handler(gate.handler()).start()) {
			this.runner.withPropertyValues("http.pool.clients.up.base-url=" + upstream.baseUrl(),
					"http.pool.clients.up.concurrency.adaptive=true",
					"http.pool.clients.up.concurrency.initial-limit=1", "http.pool.clients.up.concurrency.max-limit=1")
				.run((context) -> {
					CompletableFuture<String> held = CompletableFuture.supplyAsync(() -> call(context, flavour));
					await().atMost(Duration.ofSeconds(10)).until(() -> upstream.requests() == 1);
					Throwable refused = catchThrowable(() -> call(context, flavour));
					HttpPoolConcurrencyLimitException typed = Causes.find(refused,
							HttpPoolConcurrencyLimitException.class);
					assertThat(typed).as("typed refusal in %s", refused).isNotNull();
					assertThat(typed.getClientName()).isEqualTo("up");
					assertThat(typed.getLimit()).isEqualTo(1);
					assertThat(typed.getMessage()).contains("'up'", "http.pool.clients.up.concurrency.adaptive",
							"concurrency.max-limit");
					gate.open();
					assertThat(held.get()).isEqualTo("ok");
					assertThat(upstream.requests()).isEqualTo(1);
					// the slot is given back: the next call goes through
					assertThat(call(context, flavour)).isEqualTo("ok");
				});
		}
		finally {
			gate.open();
		}
	}

	private static String call(ApplicationContext context, String flavour) {
		if (flavour.equals("web")) {
			return context.getBean("upWebClient", WebClient.class)
				.get()
				.uri("/")
				.retrieve()
				.bodyToMono(String.class)
				.block(Duration.ofSeconds(30));
		}
		return context.getBean("upRestClient", RestClient.class).get().uri("/").retrieve().body(String.class);
	}

	@Test
	void aCustomizerBeanOfTheUserWins() {
		HttpPoolConcurrencyCustomizer own = new HttpPoolConcurrencyCustomizer();
		this.runner.withBean(HttpPoolConcurrencyCustomizer.class, () -> own)
			.run((context) -> assertThat(context.getBean(HttpPoolConcurrencyCustomizer.class)).isSameAs(own));
	}

	@Test
	void withoutConcurrencyLimitsOnTheClassPathThereIsNoLimit() {
		this.runner.withClassLoader(new FilteredClassLoader(SimpleLimiter.class))
			.withPropertyValues("http.pool.clients.up.concurrency.adaptive=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(HttpPoolConcurrencyCustomizer.class);
			});
	}

}
