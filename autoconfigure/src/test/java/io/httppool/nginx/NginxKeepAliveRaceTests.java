package io.httppool.nginx;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.httppool.HttpPoolClients;
import io.httppool.autoconfigure.HttpPoolAutoConfiguration;
import io.httppool.autoconfigure.resilience.HttpPoolResilienceAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.http.HttpMethod;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The keep-alive boundary race against a real nginx ({@code keepalive_timeout 1s},
 * HTTP/1.1): eight callers (six POST without {@code Idempotency-Key}, two GET), each with
 * a pool of one connection, send a request 1 s +/- 30 ms after the previous answer, so
 * requests keep landing on connections nginx is closing at that moment. No GET fails, no
 * POST is processed twice (nginx's access log, by request id), and the POSTs that failed
 * are counted and printed. {@code -Dhttppool.keepalive-race.seconds=40} runs the long
 * variant.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class NginxKeepAliveRaceTests {

	private static final int LANES = 8;

	private static final int GET_LANES = 2;

	private static final int REQUESTS = Integer.getInteger("httppool.keepalive-race.seconds", 12);

	@TempDir
	Path directory;

	@Test
	void atNginxsKeepAliveBoundaryNoGetFailsAndNoPostIsProcessedTwice() {
		Nginx.assumeInstalled();
		try (Nginx nginx = Nginx.in(this.directory, Nginx.Protocol.HTTP1)
			.keepaliveTimeout(Duration.ofSeconds(1))
			.start()) {
			ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(
					HttpPoolAutoConfiguration.class, HttpPoolResilienceAutoConfiguration.class,
					WebClientAutoConfiguration.class,
					io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration.class,
					io.github.resilience4j.springboot.retry.autoconfigure.RetryAutoConfiguration.class))
				.withPropertyValues("http.pool.shutdown-timeout=2s", "http.pool.defaults.base-url=" + nginx.baseUrl(),
						"http.pool.defaults.protocol=http1", "http.pool.defaults.retry.initial-backoff=20ms",
						"http.pool.defaults.max-connections=1");
			for (int lane = 0; lane < LANES; lane++) {
				runner = runner.withPropertyValues("http.pool.clients.lane" + lane + ".max-connections=1");
			}
			runner.run((context) -> {
				HttpPoolClients clients = context.getBean(HttpPoolClients.class);
				AtomicInteger postFailures = new AtomicInteger();
				AtomicInteger getFailures = new AtomicInteger();
				Queue<String> failures = new ConcurrentLinkedQueue<>();
				Set<String> failedPosts = ConcurrentHashMap.newKeySet();
				Flux.range(0, LANES).flatMap((lane) -> {
					HttpMethod method = (lane < GET_LANES) ? HttpMethod.GET : HttpMethod.POST;
					String path = (method == HttpMethod.POST) ? "/post/" : "/get/";
					return Flux.range(0, REQUESTS).concatMap((i) -> {
						String id = lane + "-" + i;
						Mono<String> call = clients.get("lane" + lane)
							.webClient()
							.method(method)
							.uri(path + id)
							.header(Nginx.REQUEST_ID, id)
							.bodyValue((method == HttpMethod.POST) ? "payload " + id : "")
							.retrieve()
							.bodyToMono(String.class)
							.onErrorResume((ex) -> {
								((method == HttpMethod.GET) ? getFailures : postFailures).incrementAndGet();
								if (method == HttpMethod.POST) {
									failedPosts.add(id);
								}
								failures.add(method + " " + id + ": " + ex);
								return Mono.empty();
							});
						long pause = (i == 0) ? 0 : 970 + ThreadLocalRandom.current().nextLong(61);
						return Mono.delay(Duration.ofMillis(pause)).then(call);
					});
				}, LANES).blockLast(Duration.ofSeconds(REQUESTS * 3L + 30));
				// nginx writes a request's log line after it has sent the response, so
				// the last answers can arrive before their lines: a graceful stop lets
				// every worker finish and log its requests before it exits
				nginx.stop(Nginx.Signal.QUIT);
				List<Nginx.LoggedRequest> logged = nginx.accessLog();
				Map<String, Long> byId = logged.stream()
					.collect(Collectors.groupingBy(Nginx.LoggedRequest::requestId, Collectors.counting()));
				long duplicatePosts = logged.stream()
					.filter((request) -> "POST".equals(request.method()))
					.map(Nginx.LoggedRequest::requestId)
					.distinct()
					.filter((id) -> byId.get(id) > 1)
					.count();
				long connections = logged.stream().map(Nginx.LoggedRequest::connection).distinct().count();
				int posts = (LANES - GET_LANES) * REQUESTS;
				System.out.printf(
						"nginx keep-alive race (keepalive_timeout 1s, %d requests per caller): %d POSTs, %d failed; "
								+ "%d GETs, %d failed; %d POSTs processed twice; %d connections%n",
						REQUESTS, posts, postFailures.get(), GET_LANES * REQUESTS, getFailures.get(), duplicatePosts,
						connections);
				failures.forEach(System.out::println);
				assertThat(getFailures.get()).as("GET failures %s", failures).isZero();
				assertThat(duplicatePosts).isZero();
				// nginx saw every GET, and every POST that did not fail, exactly once
				assertThat(byId.keySet().stream().filter((id) -> !"-".equals(id)))
					.as("request ids nginx logged; failed POSTs %s", failedPosts)
					.containsExactlyInAnyOrderElementsOf(IntStream.range(0, LANES)
						.boxed()
						.flatMap((lane) -> IntStream.range(0, REQUESTS).mapToObj((i) -> lane + "-" + i))
						.filter((id) -> !failedPosts.contains(id))
						.toList());
			});
		}
	}

}
