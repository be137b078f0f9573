package io.httppool.nginx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration;
import io.github.resilience4j.springboot.retry.autoconfigure.RetryAutoConfiguration;
import io.httppool.HttpPoolClient;
import io.httppool.HttpPoolClients;
import io.httppool.autoconfigure.resilience.HttpPoolResilienceAutoConfiguration;
import io.httppool.nginx.Nginx.LoggedRequest;
import io.httppool.nginx.Nginx.Protocol;
import io.httppool.test.HttpPoolTestContexts;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's defaults against a real nginx rotating its connections after
 * {@value Nginx#REQUESTS_PER_CONNECTION} requests (its default
 * {@code keepalive_requests}: GOAWAY over HTTP/2, {@code Connection: close} over
 * HTTP/1.1), over h2c, over TLS and over HTTP/1.1: no call fails, the breaker stays
 * closed and nginx logs every request once (counted by {@value Nginx#REQUEST_ID}). The
 * blocking {@code RestClient} case runs several times: it used to fail in about one run
 * of four.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class NginxLoadTests {

	private static final Logger logger = LoggerFactory.getLogger(NginxLoadTests.class);

	private static final String CLIENT = "nginx";

	private static final int GETS = 10_000;

	private static final int POSTS = 3_000;

	private static final AtomicInteger runs = new AtomicInteger();

	@TempDir
	static Path directory;

	private static final Map<Protocol, Nginx> servers = new EnumMap<>(Protocol.class);

	@BeforeAll
	static void startNginx() throws Exception {
		Nginx.assumeInstalled();
		for (Protocol protocol : Protocol.values()) {
			servers.put(protocol,
					Nginx.in(Files.createDirectories(directory.resolve(protocol.name())), protocol).start());
		}
	}

	@AfterAll
	static void stopNginx() {
		servers.values().forEach(Nginx::close);
	}

	@ParameterizedTest
	@EnumSource(Protocol.class)
	void tenThousandWebClientGetsAtConcurrencyHundredAllSucceedOnce(Protocol protocol) {
		runner(protocol).run((context) -> {
			WebClient client = client(context).webClient();
			String prefix = prefix("web-get");
			Map<Integer, Throwable> failures = reactive(GETS, 100,
					(i) -> client.get()
						.uri(prefix + i)
						.header(Nginx.REQUEST_ID, prefix + i)
						.retrieve()
						.bodyToMono(String.class));
			assertAllSucceededOnce(context, protocol, prefix, GETS, failures, "GET");
		});
	}

	static Stream<Arguments> restClientRuns() {
		// 8 runs make a one-in-four failure visible (0.75^8 = 10 % chance to miss it)
		return Stream
			.of(IntStream.rangeClosed(1, 8).mapToObj((run) -> Arguments.of(Protocol.H2C, run)),
					IntStream.rangeClosed(1, 3).mapToObj((run) -> Arguments.of(Protocol.H2, run)),
					IntStream.rangeClosed(1, 2).mapToObj((run) -> Arguments.of(Protocol.HTTP1, run)))
			.flatMap((runs) -> runs);
	}

	@ParameterizedTest(name = "{0} run {1}")
	@MethodSource("restClientRuns")
	void tenThousandRestClientGetsFromThirtyTwoThreadsAllSucceedOnce(Protocol protocol, int run) throws Exception {
		runner(protocol).run((context) -> {
			RestClient client = client(context).restClient();
			String prefix = prefix("rest-get");
			Map<Integer, Throwable> failures = blocking(GETS, 32,
					(i) -> client.get()
						.uri(prefix + i)
						.header(Nginx.REQUEST_ID, prefix + i)
						.retrieve()
						.body(String.class));
			assertAllSucceededOnce(context, protocol, prefix, GETS, failures, "GET");
		});
	}

	@ParameterizedTest
	@EnumSource(Protocol.class)
	void threeThousandPostsWithoutIdempotencyKeyAllSucceedAndNginxProcessesEachOnce(Protocol protocol) {
		runner(protocol).run((context) -> {
			WebClient client = client(context).webClient();
			String prefix = "/post/" + prefix("web").substring(1);
			Map<Integer, Throwable> failures = reactive(POSTS, 64,
					(i) -> client.post()
						.uri(prefix + i)
						.header(Nginx.REQUEST_ID, prefix + i)
						.bodyValue("item " + i)
						.retrieve()
						.bodyToMono(String.class));
			assertAllSucceededOnce(context, protocol, prefix, POSTS, failures, "POST");
		});
	}

	private static void assertAllSucceededOnce(ApplicationContext context, Protocol protocol, String prefix, int calls,
			Map<Integer, Throwable> failures, String method) {
		Nginx server = servers.get(protocol);
		Awaitility.await("nginx logging the requests under " + prefix)
			.atMost(Duration.ofSeconds(10))
			.until(() -> logged(server, prefix).size() >= calls - failures.size());
		List<LoggedRequest> logged = logged(server, prefix);
		Map<String, Long> perId = logged.stream()
			.collect(Collectors.groupingBy(LoggedRequest::requestId, Collectors.counting()));
		long duplicates = perId.values().stream().filter((count) -> count > 1).mapToLong((count) -> count - 1).sum();
		HttpPoolClient client = client(context);
		logger.info("{} {} x{}: {} failed {}; attempts sent {}, nginx logged {}, duplicates {}, connections opened {}",
				protocol, method, calls, failures.size(),
				failures.values()
					.stream()
					.collect(Collectors.groupingBy(NginxLoadTests::describe, Collectors.counting())),
				client.state().requests(), logged.size(), duplicates, client.state().connectionsOpened());
		assertThat(failures).as("failed calls").isEmpty();
		assertThat(duplicates).as("requests nginx processed twice").isZero();
		assertThat(logged).extracting(LoggedRequest::method).containsOnly(method);
		assertThat(logged).extracting(LoggedRequest::status).containsOnly(200);
		assertThat(perId.keySet())
			.containsExactlyInAnyOrderElementsOf(IntStream.range(0, calls).mapToObj((i) -> prefix + i).toList());
		assertThat(breakerState(context)).isEqualTo(CircuitBreaker.State.CLOSED);
		Awaitility.await("no active connection")
			.atMost(Duration.ofSeconds(10))
			.until(() -> client.state().activeConnections() == 0 && client.state().pendingAcquires() == 0);
	}

	// the exception types of the chain and the deepest message, without URLs and ids
	static String describe(Throwable failure) {
		StringBuilder description = new StringBuilder();
		Throwable deepest = failure;
		for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
			description.append((description.length() > 0) ? " > " : "").append(candidate.getClass().getSimpleName());
			deepest = candidate;
		}
		String message = String.valueOf(deepest.getMessage())
			.replaceAll("\\S+://\\S+", "<url>")
			.replaceAll("@[0-9a-f]+", "");
		return description + ": " + message;
	}

	private static Map<Integer, Throwable> reactive(int calls, int concurrency, IntFunction<Mono<String>> call) {
		Map<Integer, Throwable> failures = new ConcurrentHashMap<>();
		Flux.range(0, calls).flatMap((i) -> call.apply(i).then().onErrorResume((ex) -> {
			failures.put(i, ex);
			return Mono.empty();
		}), concurrency).then().block(Duration.ofSeconds(90));
		return failures;
	}

	private static Map<Integer, Throwable> blocking(int calls, int threads, IntFunction<String> call)
			throws InterruptedException {
		Map<Integer, Throwable> failures = new ConcurrentHashMap<>();
		AtomicInteger next = new AtomicInteger();
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			for (int t = 0; t < threads; t++) {
				executor.execute(() -> {
					for (int i = next.getAndIncrement(); i < calls; i = next.getAndIncrement()) {
						try {
							call.apply(i);
						}
						catch (RuntimeException ex) {
							failures.put(i, ex);
						}
					}
				});
			}
		}
		finally {
			executor.shutdown();
		}
		assertThat(executor.awaitTermination(90, TimeUnit.SECONDS)).as("calls done in time").isTrue();
		return failures;
	}

	private static String prefix(String what) {
		return "/" + what + "/" + runs.incrementAndGet() + "/";
	}

	private static List<LoggedRequest> logged(Nginx server, String prefix) {
		return server.accessLog().stream().filter((request) -> request.uri().startsWith(prefix)).toList();
	}

	private static CircuitBreaker.State breakerState(ApplicationContext context) {
		return context.getBean(CircuitBreakerRegistry.class)
			.find(CLIENT)
			.map(CircuitBreaker::getState)
			.orElseThrow(() -> new AssertionError("no circuit breaker named " + CLIENT));
	}

	private static ApplicationContextRunner runner(Protocol protocol) {
		return HttpPoolTestContexts.core()
			.withConfiguration(AutoConfigurations.of(HttpPoolResilienceAutoConfiguration.class,
					CircuitBreakerAutoConfiguration.class, RetryAutoConfiguration.class))
			.withPropertyValues("http.pool.shutdown-timeout=2s")
			.withPropertyValues(servers.get(protocol).clientProperties(CLIENT).toArray(String[]::new));
	}

	private static HttpPoolClient client(ApplicationContext context) {
		return context.getBean(HttpPoolClients.class).get(CLIENT);
	}

}
