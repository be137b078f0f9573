package io.httppool.nginx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration;
import io.github.resilience4j.springboot.retry.autoconfigure.RetryAutoConfiguration;
import io.httppool.HttpPoolClient;
import io.httppool.HttpPoolClients;
import io.httppool.HttpPoolStreamNotProcessedException;
import io.httppool.autoconfigure.resilience.HttpPoolResilienceAutoConfiguration;
import io.httppool.nginx.Nginx.LoggedRequest;
import io.httppool.test.HttpPoolTestContexts;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The GOAWAY race against a real nginx. nginx sends GOAWAY after
 * {@value Nginx#REQUESTS_PER_CONNECTION} requests on an HTTP/2 connection
 * ({@code keepalive_requests}, its default); the streams the client opened on that
 * connection while the frame was on its way are dropped unprocessed. With 64 requests in
 * flight on one connection ({@code max-connections=1}) each of the two GOAWAYs of a run
 * catches some of them. Runs only where nginx is installed
 * ({@code apt-get install nginx}); the test starts its own nginx on a free loopback port
 * with a generated configuration, and stops it at the end; where nginx is missing the
 * class is skipped with a message on standard error.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class NginxGoawayTests {

	private static final Logger logger = LoggerFactory.getLogger(NginxGoawayTests.class);

	private static final String CLIENT = "nginx";

	private static final int CALLS = 2500;

	private static final int IN_FLIGHT = 64;

	@TempDir
	static Path directory;

	private static final Map<Nginx.Protocol, Nginx> servers = new java.util.EnumMap<>(Nginx.Protocol.class);

	@BeforeAll
	static void startNginx() throws Exception {
		for (Nginx.Protocol protocol : List.of(Nginx.Protocol.H2C, Nginx.Protocol.H2)) {
			servers.put(protocol,
					Nginx.in(Files.createDirectories(directory.resolve(protocol.property())), protocol).start());
		}
	}

	@AfterAll
	static void stopNginx() {
		servers.values().forEach(Nginx::close);
		servers.clear();
	}

	@Test
	void whenNginxSendsGoawayEveryThousandRequestsThenNoGetFailsAndTheBreakerStaysClosed() {
		runner().run((context) -> {
			WebClient client = client(context).webClient();
			Load load = load((i) -> client.get().uri("/get/{i}", i).retrieve().bodyToMono(String.class));
			List<LoggedRequest> logged = awaitLogged("/get/", CALLS);
			log("GET, retry on", load, logged, context);
			assertThat(load.failures()).isEmpty();
			assertThat(load.successes()).isEqualTo(CALLS);
			assertEachCallLoggedOnce(logged, "/get/", "GET");
			assertSomeStreamsWereSentAgain(client(context));
			assertGoawayForcedNewConnections(logged, client(context));
			assertThat(breakerState(context)).isEqualTo(CircuitBreaker.State.CLOSED);
		});
	}

	@Test
	void whenNginxSendsGoawayThenPostsWithoutIdempotencyKeyAreSentAgainAndProcessedOnce() {
		runner().run((context) -> {
			WebClient client = client(context).webClient();
			Load load = load((i) -> post(client, i));
			List<LoggedRequest> logged = awaitLogged("/post/", CALLS);
			log("POST, retry on", load, logged, context);
			assertThat(load.failures()).isEmpty();
			assertThat(load.successes()).isEqualTo(CALLS);
			// nginx skipped the streams its GOAWAY left unprocessed: sending them again
			// made no duplicate
			assertEachCallLoggedOnce(logged, "/post/", "POST");
			assertSomeStreamsWereSentAgain(client(context));
			assertGoawayForcedNewConnections(logged, client(context));
			assertThat(breakerState(context)).isEqualTo(CircuitBreaker.State.CLOSED);
		});
	}

	// over TLS too: the handler joins a connection once ALPN made it HTTP/2
	@ParameterizedTest
	@EnumSource(value = Nginx.Protocol.class, names = { "H2C", "H2" })
	void withoutRetryTheStreamsGoawayLeftUnprocessedFailWithATypedExceptionAndTheBreakerStaysClosed(
			Nginx.Protocol protocol) {
		runner(protocol).withPropertyValues(key("retry.enabled=false")).run((context) -> {
			WebClient client = client(context).webClient();
			Load load = load((i) -> client.get().uri("/plain/{i}", i).retrieve().bodyToMono(String.class));
			List<LoggedRequest> logged = awaitLogged(protocol, "/plain/", (int) load.successes());
			log("GET, retry off", load, logged, context);
			assertThat(load.successes() + load.failures().size()).isEqualTo(CALLS);
			assertThat(load.failures()).as("calls caught by the GOAWAY race").isNotEmpty();
			assertThat(load.failures().values())
				.allSatisfy((failure) -> assertThat(notProcessed(failure)).as("cause of %s", failure)
					.isNotNull()
					.satisfies((notProcessed) -> assertThat(notProcessed.isGraceful()).isTrue()));
			// what the exception claims: nginx never saw those requests
			assertThat(logged).hasSize((int) load.successes())
				.extracting(LoggedRequest::uri)
				.doesNotContainAnyElementsOf(
						load.failures().keySet().stream().map((i) -> "/plain/" + i).collect(Collectors.toSet()));
			assertGoawayForcedNewConnections(logged, client(context));
			assertThat(breakerState(context)).isEqualTo(CircuitBreaker.State.CLOSED);
		});
	}

	private static Mono<String> post(WebClient client, int i) {
		return client.post().uri("/post/{i}", i).bodyValue("item " + i).retrieve().bodyToMono(String.class);
	}

	private static void assertEachCallLoggedOnce(List<LoggedRequest> logged, String prefix, String method) {
		assertThat(logged).extracting(LoggedRequest::method).containsOnly(method);
		assertThat(logged).extracting(LoggedRequest::status).containsOnly(200);
		assertThat(logged).extracting(LoggedRequest::uri)
			.containsExactlyInAnyOrderElementsOf(IntStream.range(0, CALLS).mapToObj((i) -> prefix + i).toList());
	}

	// the race happened: attempts nginx never processed were sent again (each call is
	// logged once). 10 to 119 per run on the development machine, never 0: with 64 in
	// flight nginx reads the HEADERS of later streams with the one that reaches the limit
	private static void assertSomeStreamsWereSentAgain(HttpPoolClient client) {
		assertThat(client.state().requests()).as("attempts sent, retries of unprocessed streams included")
			.isGreaterThan(CALLS);
	}

	private static void assertGoawayForcedNewConnections(List<LoggedRequest> logged, HttpPoolClient client) {
		Map<Long, Long> perConnection = perConnection(logged);
		assertThat(logged).allSatisfy((request) -> assertThat(request.connectionRequests())
			.isLessThanOrEqualTo(Nginx.REQUESTS_PER_CONNECTION));
		assertThat(perConnection.values())
			.allSatisfy((requests) -> assertThat(requests).isLessThanOrEqualTo((long) Nginx.REQUESTS_PER_CONNECTION));
		// max-connections=1: 2,500 requests take three connections one after the other,
		// the first two closed by GOAWAY after exactly 1,000
		assertThat(perConnection.values()).filteredOn((requests) -> requests == Nginx.REQUESTS_PER_CONNECTION)
			.hasSizeGreaterThanOrEqualTo(2);
		assertThat(perConnection).hasSizeGreaterThanOrEqualTo(3);
		assertThat(client.state().connectionsOpened()).isGreaterThanOrEqualTo(3)
			.isGreaterThanOrEqualTo(perConnection.size());
	}

	private static Map<Long, Long> perConnection(List<LoggedRequest> logged) {
		return logged.stream()
			.collect(Collectors.groupingBy(LoggedRequest::connection, java.util.TreeMap::new, Collectors.counting()));
	}

	private static @Nullable HttpPoolStreamNotProcessedException notProcessed(Throwable failure) {
		for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
			if (candidate instanceof HttpPoolStreamNotProcessedException notProcessed) {
				return notProcessed;
			}
		}
		return null;
	}

	private static void log(String what, Load load, List<LoggedRequest> logged, ApplicationContext context) {
		HttpPoolClient client = client(context);
		logger.info(
				"{}: {} succeeded, {} failed; {} attempts sent, nginx logged {}; requests per connection {}; "
						+ "connections opened {}; failures {}",
				what, load.successes(), load.failures().size(), client.state().requests(), logged.size(),
				perConnection(logged), client.state().connectionsOpened(),
				load.failures()
					.values()
					.stream()
					.collect(Collectors.groupingBy((failure) -> failure.getClass().getSimpleName(),
							Collectors.counting())));
	}

	private static List<LoggedRequest> awaitLogged(String prefix, int count) {
		return awaitLogged(Nginx.Protocol.H2C, prefix, count);
	}

	private static List<LoggedRequest> awaitLogged(Nginx.Protocol protocol, String prefix, int count) {
		Nginx server = nginx(protocol);
		// nginx writes a request's log line once it has sent the response
		await("nginx logging " + count + " requests under " + prefix).atMost(Duration.ofSeconds(10))
			.until(() -> logged(server, prefix).size() >= count);
		return logged(server, prefix);
	}

	private static List<LoggedRequest> logged(Nginx server, String prefix) {
		return server.accessLog().stream().filter((request) -> request.uri().startsWith(prefix)).toList();
	}

	private static Load load(Function<Integer, Mono<String>> call) {
		Map<Integer, Throwable> failures = new ConcurrentHashMap<>();
		AtomicInteger successes = new AtomicInteger();
		Flux.range(0, CALLS)
			.flatMap((i) -> call.apply(i).doOnNext((body) -> successes.incrementAndGet()).onErrorResume((ex) -> {
				failures.put(i, ex);
				return Mono.empty();
			}), IN_FLIGHT)
			.then()
			.block(Duration.ofSeconds(90));
		return new Load(successes.get(), Map.copyOf(failures));
	}

	private static CircuitBreaker.State breakerState(ApplicationContext context) {
		return context.getBean(CircuitBreakerRegistry.class)
			.find(CLIENT)
			.map(CircuitBreaker::getState)
			.orElseThrow(() -> new AssertionError("no circuit breaker named " + CLIENT));
	}

	private static Nginx nginx(Nginx.Protocol protocol) {
		Nginx server = servers.get(protocol);
		assertThat(server).as("nginx speaking %s", protocol).isNotNull();
		return server;
	}

	private static ApplicationContextRunner runner() {
		return runner(Nginx.Protocol.H2C);
	}

	private static ApplicationContextRunner runner(Nginx.Protocol protocol) {
		return HttpPoolTestContexts.core()
			.withConfiguration(AutoConfigurations.of(HttpPoolResilienceAutoConfiguration.class,
					CircuitBreakerAutoConfiguration.class, RetryAutoConfiguration.class))
			.withPropertyValues("http.pool.shutdown-timeout=2s", key("max-connections=1"))
			.withPropertyValues(nginx(protocol).clientProperties(CLIENT).toArray(String[]::new));
	}

	private static String key(String property) {
		return "http.pool.clients." + CLIENT + "." + property;
	}

	private static HttpPoolClient client(ApplicationContext context) {
		return context.getBean(HttpPoolClients.class).get(CLIENT);
	}

	/**
	 * What the callers saw.
	 *
	 * @param successes calls answered 200
	 * @param failures the failure of each call that failed, by call index
	 */
	record Load(long successes, Map<Integer, Throwable> failures) {

	}

}
