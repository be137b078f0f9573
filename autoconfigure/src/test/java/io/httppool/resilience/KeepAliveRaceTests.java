package io.httppool.resilience;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import io.httppool.HttpPoolClient;
import io.httppool.HttpPoolClients;
import io.httppool.autoconfigure.HttpPoolAutoConfiguration;
import io.httppool.autoconfigure.resilience.HttpPoolResilienceAutoConfiguration;
import io.httppool.test.TestUpstream;
import io.httppool.resilience.ResilienceTesting.Flavour;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.HttpProtocol;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The keep-alive boundary race over HTTP/1.1: a server that closes connections idle for 1
 * s, and callers that send one request about every second (1 s +/- 30 ms after the
 * previous response), so that requests keep landing on connections the server is closing
 * at that moment. Such a request never reached the server, but the client cannot tell it
 * from one the server processed before the connection dropped: a GET is retried, a POST
 * is not. The pool learns the server's keep-alive from the first idle connection it
 * closes and no longer reuses connections idle for that long.
 *
 * <p>
 * Eight callers (six POST, two GET), each with its own pool, run 12 requests in the
 * suite; set {@code -Dhttppool.keepalive-race.seconds=40} for the long run
 * docs/reliability.md quotes, and {@code -Dhttppool.keepalive-race.untaught=true} to
 * start at the boundary at once.
 */
class KeepAliveRaceTests {

	private static final int LANES = 8;

	private static final int GET_LANES = 2;

	private static final int SECONDS = Integer.getInteger("httppool.keepalive-race.seconds", 12);

	// requests after idle pauses that let the pool learn the server's keep-alive
	private static final int TEACHING = 2;

	// -Dhttppool.keepalive-race.untaught=true: every pause at the boundary, as today's
	// callers do; the first boundaries then race before the pool has learned
	private static final boolean UNTAUGHT = Boolean.getBoolean("httppool.keepalive-race.untaught");

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void whenRequestsArriveAtTheServersKeepAliveBoundaryThenNoPostFailsAndNoneIsDuplicated(Flavour flavour) {
		Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.HTTP11)
			.idleTimeout(Duration.ofSeconds(1))
			.handler((request, response) -> {
				String id = request.requestHeaders().get("X-Request-Id");
				seen.computeIfAbsent(id, (key) -> new AtomicInteger()).incrementAndGet();
				return request.receive().then(response.sendString(Mono.just("ok")).then());
			})
			.start()) {
			ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(
					HttpPoolAutoConfiguration.class, HttpPoolResilienceAutoConfiguration.class,
					WebClientAutoConfiguration.class,
					io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration.class,
					io.github.resilience4j.springboot.retry.autoconfigure.RetryAutoConfiguration.class))
				.withPropertyValues("http.pool.shutdown-timeout=2s",
						"http.pool.defaults.base-url=" + upstream.baseUrl(), "http.pool.defaults.protocol=http1",
						"http.pool.defaults.retry.initial-backoff=20ms");
			for (int lane = 0; lane < LANES; lane++) {
				runner = runner.withPropertyValues("http.pool.clients.lane" + lane + ".max-connections=1");
			}
			runner.run((context) -> {
				HttpPoolClients clients = context.getBean(HttpPoolClients.class);
				AtomicInteger postFailures = new AtomicInteger();
				AtomicInteger getFailures = new AtomicInteger();
				AtomicInteger posts = new AtomicInteger();
				AtomicInteger gets = new AtomicInteger();
				java.util.Queue<String> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
				Flux.range(0, LANES).flatMap((lane) -> {
					HttpPoolClient client = clients.get("lane" + lane);
					HttpMethod method = (lane < GET_LANES) ? HttpMethod.GET : HttpMethod.POST;
					return Flux.range(0, SECONDS).concatMap((i) -> {
						String id = lane + "-" + i;
						String body = (method == HttpMethod.POST) ? "payload " + i : "";
						Mono<String> exchange = (flavour == Flavour.WEB_CLIENT)
								? client.webClient()
									.method(method)
									.uri("/race")
									.header("X-Request-Id", id)
									.bodyValue(body)
									.retrieve()
									.bodyToMono(String.class)
								: Mono
									.fromCallable(() -> client.restClient()
										.method(method)
										.uri("/race")
										.header("X-Request-Id", id)
										.body(body)
										.retrieve()
										.body(String.class))
									.subscribeOn(Schedulers.boundedElastic());
						Mono<String> call = exchange
							.doOnSubscribe(
									(subscription) -> ((method == HttpMethod.GET) ? gets : posts).incrementAndGet())
							.onErrorResume((ex) -> {
								((method == HttpMethod.GET) ? getFailures : postFailures).incrementAndGet();
								failures.add(method + " " + lane + "-" + i + ": " + ex);
								return Mono.empty();
							});
						long pause = pause(i);
						return Mono.delay(Duration.ofMillis(pause)).then(call);
					});
				}, LANES).blockLast(Duration.ofSeconds(SECONDS * 3L + 30));
				long duplicates = seen.values().stream().filter((count) -> count.get() > 1).count();
				int connections = upstream.connectionsAccepted();
				System.out.printf(
						"keep-alive race (%s, %d requests per caller, %s): %d POSTs, %d failed; %d GETs, %d failed; %d duplicates; "
								+ "%d connections%n",
						flavour, SECONDS, UNTAUGHT ? "untaught" : "taught", posts.get(), postFailures.get(), gets.get(),
						getFailures.get(), duplicates, connections);
				failures.forEach(System.out::println);
				assertThat(duplicates).isZero();
				assertThat(getFailures.get()).isZero();
				if (!UNTAUGHT) {
					assertThat(postFailures.get()).isZero();
				}
			});
		}
	}

	/**
	 * The pause before the i-th request of a caller: none before the first; 1.5 s before
	 * the next {@value #TEACHING} (the server closes the idle connection meanwhile, with
	 * no request near the boundary: the pool learns its keep-alive); then 1 s +/- 30 ms.
	 */
	private static long pause(int i) {
		if (i == 0) {
			return 0;
		}
		if (i <= TEACHING && !UNTAUGHT) {
			return 1500;
		}
		return 970 + ThreadLocalRandom.current().nextLong(61);
	}

	@Test
	void whenTheServerAnnouncesItsKeepAliveThenConnectionsIdleForThatLongAreNotReused() {
		AtomicInteger requests = new AtomicInteger();
		// the server would keep connections 10 s but announces 1 s: the pool believes it
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.HTTP11)
			.idleTimeout(Duration.ofSeconds(10))
			.handler((request, response) -> {
				requests.incrementAndGet();
				return response.header("Keep-Alive", "timeout=1").sendString(Mono.just("ok"));
			})
			.start()) {
			ResilienceTesting.runner(upstream.baseUrl()).run((context) -> {
				WebClient client = ResilienceTesting.client(context).webClient();
				Mono<String> post = client.post()
					.uri("/announced")
					.bodyValue("payload")
					.retrieve()
					.bodyToMono(String.class);
				Flux.concat(post, Mono.delay(Duration.ofMillis(900)).then(post),
						Mono.delay(Duration.ofMillis(900)).then(post))
					.blockLast(Duration.ofSeconds(20));
				assertThat(requests.get()).isEqualTo(3);
				assertThat(upstream.connectionsAccepted()).isEqualTo(3);
			});
		}
	}

}
