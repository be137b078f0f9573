package io.httppool.pool;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.httppool.HttpPoolClient;
import io.httppool.HttpPoolClients;
import io.httppool.HttpPoolExhaustedException;
import io.httppool.test.HttpPoolTestContexts;
import io.httppool.test.TestUpstream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.HttpProtocol;
import reactor.test.StepVerifier;

import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * In HTTP/1.1 mode the pool never opens more than {@code max-connections}; requests
 * beyond {@code max-connections + pending-acquire-max-count} fail at once, waiting ones
 * fail after {@code pending-acquire-timeout}, each with an exception naming the client.
 */
class Http11PoolLimitsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(15);

	@Test
	void whenPoolAndQueueAreFullThenRequestsFailNamingTheClientAndPoolEndsEmpty() {
		Sinks.Empty<Void> release = Sinks.empty();
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.HTTP11)
			.handler((request, response) -> response.sendString(release.asMono().then(Mono.just("held"))))
			.start()) {
			HttpPoolTestContexts.core()
				.withPropertyValues("http.pool.clients.stt.base-url=" + upstream.baseUrl(),
						"http.pool.clients.stt.protocol=http1", "http.pool.clients.stt.max-connections=2",
						"http.pool.clients.stt.pending-acquire-max-count=3",
						"http.pool.clients.stt.pending-acquire-timeout=2s")
				.run((context) -> {
					HttpPoolClient client = context.getBean(HttpPoolClients.class).get("stt");
					WebClient webClient = context.getBean("sttWebClient", WebClient.class);
					List<Object> held = new CopyOnWriteArrayList<>();
					for (int i = 0; i < 2; i++) {
						webClient.get()
							.uri("/held")
							.retrieve()
							.bodyToMono(String.class)
							.subscribe(held::add, held::add);
					}
					Awaitility.await().atMost(TIMEOUT).until(() -> upstream.requests() == 2);
					List<Throwable> waited = new CopyOnWriteArrayList<>();
					for (int i = 0; i < 3; i++) {
						webClient.get()
							.uri("/waiting")
							.retrieve()
							.bodyToMono(String.class)
							.subscribe((body) -> waited.add(new AssertionError("answered: " + body)), waited::add);
					}
					Awaitility.await().atMost(TIMEOUT).until(() -> client.state().pendingAcquires() == 3);
					assertThat(client.state().utilization()).isEqualTo(1.0);

					StepVerifier.create(webClient.get().uri("/rejected").retrieve().bodyToMono(String.class))
						.expectErrorSatisfies((ex) -> assertThat(ex)
							.isInstanceOfSatisfying(HttpPoolExhaustedException.class, (exhausted) -> {
								assertThat(exhausted.isQueueFull()).isTrue();
								assertThat(exhausted.getClientName()).isEqualTo("stt");
								assertThat(exhausted).hasMessageContaining("'stt'")
									.hasMessageContaining("pending-acquire-max-count");
							}))
						.verify(TIMEOUT);
					RestClient restClient = context.getBean("sttRestClient", RestClient.class);
					assertThatExceptionOfType(HttpPoolExhaustedException.class)
						.isThrownBy(() -> restClient.get().uri("/rejected").retrieve().body(String.class))
						.satisfies((ex) -> assertThat(ex.isQueueFull()).isTrue());

					Awaitility.await().atMost(TIMEOUT).until(() -> waited.size() == 3);
					assertThat(waited).allSatisfy((ex) -> assertThat(ex)
						.isInstanceOfSatisfying(HttpPoolExhaustedException.class, (exhausted) -> {
							assertThat(exhausted.isQueueFull()).isFalse();
							assertThat(exhausted).hasMessageContaining("'stt'")
								.hasMessageContaining("pending-acquire-timeout");
						}));

					release.tryEmitEmpty();
					Awaitility.await().atMost(TIMEOUT).until(() -> held.size() == 2);
					assertThat(held).containsOnly("held");
					assertThat(upstream.connectionsAccepted()).isEqualTo(2);
					assertThat(upstream.requests()).isEqualTo(2);
					Awaitility.await()
						.atMost(TIMEOUT)
						.untilAsserted(() -> assertThat(client.state()).satisfies((state) -> {
							assertThat(state.activeConnections()).isZero();
							assertThat(state.pendingAcquires()).isZero();
						}));
				});
		}
	}

}
