package io.httppool.resilience;

import java.time.Duration;
import java.util.function.Consumer;

import io.httppool.HttpPoolClient;
import io.httppool.HttpPoolClients;
import io.httppool.autoconfigure.HttpPoolAutoConfiguration;
import io.httppool.autoconfigure.resilience.HttpPoolResilienceAutoConfiguration;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Shared setup of the resilience tests: a context with the starter and Resilience4j's
 * auto-configurations, and one way to make a call through either client of a pool.
 */
final class ResilienceTesting {

	static final String CLIENT = "up";

	private ResilienceTesting() {
	}

	static ApplicationContextRunner runner(String baseUrl) {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(HttpPoolAutoConfiguration.class,
				HttpPoolResilienceAutoConfiguration.class, WebClientAutoConfiguration.class, SslAutoConfiguration.class,
				io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration.class,
				io.github.resilience4j.springboot.retry.autoconfigure.RetryAutoConfiguration.class,
				io.github.resilience4j.springboot.bulkhead.autoconfigure.BulkheadAutoConfiguration.class))
			// connection-refused tests can leave Reactor Netty waiting the whole graceful
			// shutdown for a connection that never was: keep context close short
			.withPropertyValues("http.pool.shutdown-timeout=2s", "http.pool.clients." + CLIENT + ".base-url=" + baseUrl,
					"http.pool.clients." + CLIENT + ".protocol=http1",
					"http.pool.clients." + CLIENT + ".retry.initial-backoff=20ms",
					"http.pool.clients." + CLIENT + ".retry.jitter=0");
	}

	static String key(String suffix) {
		return "http.pool.clients." + CLIENT + "." + suffix;
	}

	static HttpPoolClient client(ApplicationContext context) {
		return context.getBean(HttpPoolClients.class).get(CLIENT);
	}

	/**
	 * Wait until the client's pool has no active connection.
	 */
	static void assertNoActiveConnections(ApplicationContext context) {
		assertNoActiveConnectionsOf(context, CLIENT);
	}

	/**
	 * Wait until the pool of the named client has no active connection.
	 */
	static void assertNoActiveConnectionsOf(ApplicationContext context, String name) {
		HttpPoolClient client = context.getBean(HttpPoolClients.class).get(name);
		Awaitility.await("no active connection in pool '" + name + "'")
			.atMost(Duration.ofSeconds(10))
			.until(() -> client.state().activeConnections() == 0 && client.state().pendingAcquires() == 0);
	}

	/**
	 * The outcome of a call as the caller sees it.
	 *
	 * @param status the response status, or 0 when the call failed
	 * @param error the failure, or {@code null}
	 * @param took how long the call took
	 */
	record Outcome(int status, @Nullable Throwable error, Duration took) {

		<T extends Throwable> @Nullable T find(Class<T> type) {
			for (Throwable candidate = this.error; candidate != null; candidate = candidate.getCause()) {
				if (type.isInstance(candidate)) {
					return type.cast(candidate);
				}
			}
			return null;
		}

	}

	/**
	 * The two clients of a pool.
	 */
	enum Flavour {

		WEB_CLIENT {

			@Override
			int exchange(HttpPoolClient client, HttpMethod method, String path, Consumer<HttpHeaders> headers,
					@Nullable String body) {
				WebClient.RequestBodySpec spec = client.webClient().method(method).uri(path).headers(headers);
				WebClient.RequestHeadersSpec<?> request = (body != null) ? spec.bodyValue(body) : spec;
				Integer status = request
					.exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode().value()))
					.block(Duration.ofSeconds(60));
				return (status != null) ? status : 0;
			}

		},

		REST_CLIENT {

			@Override
			int exchange(HttpPoolClient client, HttpMethod method, String path, Consumer<HttpHeaders> headers,
					@Nullable String body) {
				RestClient.RequestBodySpec spec = client.restClient().method(method).uri(path).headers(headers);
				if (body != null) {
					spec.body(body);
				}
				Integer status = spec.exchange((request, response) -> response.getStatusCode().value());
				return (status != null) ? status : 0;
			}

		};

		abstract int exchange(HttpPoolClient client, HttpMethod method, String path, Consumer<HttpHeaders> headers,
				@Nullable String body);

		Outcome call(ApplicationContext context, HttpMethod method, String path) {
			return call(context, method, path, (headers) -> {
			}, null);
		}

		Outcome call(ApplicationContext context, HttpMethod method, String path, Consumer<HttpHeaders> headers,
				@Nullable String body) {
			long start = System.nanoTime();
			try {
				int status = exchange(client(context), method, path, headers, body);
				return new Outcome(status, null, Duration.ofNanos(System.nanoTime() - start));
			}
			catch (RuntimeException ex) {
				return new Outcome(0, ex, Duration.ofNanos(System.nanoTime() - start));
			}
		}

	}

}
