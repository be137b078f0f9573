package io.httppool.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import io.httppool.HttpPoolClient;
import io.httppool.HttpPoolClients;
import io.httppool.autoconfigure.HttpPoolAutoConfiguration;
import io.httppool.autoconfigure.health.HttpPoolHealthContributorAutoConfiguration;
import io.httppool.autoconfigure.ratelimit.HttpPoolRateLimitAutoConfiguration;
import io.httppool.autoconfigure.resilience.HttpPoolResilienceAutoConfiguration;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.ApplicationContext;

/**
 * Shared setup of the rate-limit tests: a context with the starter's core, resilience,
 * health and rate-limit auto-configurations and one client, {@value #CLIENT}, and calls
 * through either of its clients.
 */
final class RateLimitTesting {

	static final String CLIENT = "quota";

	private RateLimitTesting() {
	}

	static ApplicationContextRunner runner(String baseUrl) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(HttpPoolAutoConfiguration.class,
					HttpPoolResilienceAutoConfiguration.class, HttpPoolRateLimitAutoConfiguration.class,
					HttpPoolHealthContributorAutoConfiguration.class, WebClientAutoConfiguration.class,
					RestClientAutoConfiguration.class, SslAutoConfiguration.class))
			.withPropertyValues("http.pool.shutdown-timeout=2s", key("base-url=" + baseUrl), key("protocol=http1"),
					key("retry.initial-backoff=20ms"), key("retry.jitter=0"));
	}

	static String key(String suffix) {
		return "http.pool.clients." + CLIENT + "." + suffix;
	}

	static HttpPoolClient client(ApplicationContext context) {
		return context.getBean(HttpPoolClients.class).get(CLIENT);
	}

	static HttpPoolRateLimiter limiter(ApplicationContext context) {
		HttpPoolRateLimiter limiter = context.getBean(HttpPoolRateLimitCustomizer.class).limiter(CLIENT);
		if (limiter == null) {
			throw new IllegalStateException("no limiter for " + CLIENT);
		}
		return limiter;
	}

	/**
	 * The clients of a pool, each making calls and reporting their status.
	 */
	enum Flavour {

		WEB_CLIENT {

			@Override
			List<Outcome> calls(HttpPoolClient client, int count) {
				return Flux.range(0, count)
					.flatMap((i) -> client.webClient()
						.get()
						.uri("/")
						.exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode().value()))
						.map((status) -> new Outcome(status, null))
						.onErrorResume((ex) -> Mono.just(new Outcome(0, ex))), count)
					.collectList()
					.block(Duration.ofSeconds(60));
			}

		},

		REST_CLIENT {

			@Override
			List<Outcome> calls(HttpPoolClient client, int count) {
				ExecutorService callers = Executors.newFixedThreadPool(Math.min(count, 32));
				try {
					List<CompletableFuture<Outcome>> calls = IntStream.range(0, count)
						.mapToObj((i) -> CompletableFuture.supplyAsync(() -> call(client), callers))
						.toList();
					return calls.stream().map(CompletableFuture::join).toList();
				}
				finally {
					callers.shutdownNow();
				}
			}

			private Outcome call(HttpPoolClient client) {
				try {
					Integer status = client.restClient()
						.get()
						.uri("/")
						.exchange((request, response) -> response.getStatusCode().value());
					return new Outcome((status != null) ? status : 0, null);
				}
				catch (RuntimeException ex) {
					return new Outcome(0, ex);
				}
			}

		};

		/**
		 * Make {@code count} concurrent calls and wait for all of them.
		 */
		abstract List<Outcome> calls(HttpPoolClient client, int count);

	}

	/**
	 * What a caller saw: a status, or a failure.
	 */
	record Outcome(int status, @Nullable Throwable error) {

		<T extends Throwable> @Nullable T find(Class<T> type) {
			for (Throwable candidate = this.error; candidate != null; candidate = candidate.getCause()) {
				if (type.isInstance(candidate)) {
					return type.cast(candidate);
				}
			}
			return null;
		}

	}

}
