package io.httppool.lifecycle;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.httppool.HttpPoolShutdownException;
import io.httppool.test.HttpPoolTestContexts;
import io.httppool.test.TestUpstream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpProtocol;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.ResponseEntity;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pools shut down after the web server: an inbound request in flight when the context
 * closes still completes its outbound calls, then pools, connections and event loop
 * threads are gone and new requests fail fast naming the client.
 */
class GracefulShutdownTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@Test
	void whenTheContextPausesAndRestartsThenItsClientsStillWork() {
		// the test context cache pauses the contexts it does not use and restarts them
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.H2C).start()) {
			HttpPoolTestContexts.core()
				.withPropertyValues("http.pool.clients.upstream.base-url=" + upstream.baseUrl(),
						"http.pool.clients.upstream.protocol=h2c")
				.run((context) -> {
					WebClient client = context.getBean("upstreamWebClient", WebClient.class);
					assertThat(client.get().uri("/").retrieve().bodyToMono(String.class).block(TIMEOUT))
						.isEqualTo("ok");
					context.getSourceApplicationContext(ConfigurableApplicationContext.class).pause();
					context.getSourceApplicationContext(ConfigurableApplicationContext.class).restart();
					assertThat(client.get().uri("/").retrieve().bodyToMono(String.class).block(TIMEOUT))
						.isEqualTo("ok");
				});
		}
	}

	@Test
	void whenContextClosesDuringInboundRequestThenItsOutboundCallsStillSucceed() throws Exception {
		Set<String> threadsBefore = poolThreads();
		CountDownLatch firstOutboundCall = new CountDownLatch(1);
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.H2C).handler((request, response) -> {
			firstOutboundCall.countDown();
			return response.sendString(Mono.delay(Duration.ofMillis(700)).thenReturn("ok"));
		}).start()) {
			ConfigurableApplicationContext context = new SpringApplicationBuilder(RelayApplication.class)
				.web(WebApplicationType.REACTIVE)
				.run("--server.port=0", "--spring.main.banner-mode=off",
						"--http.pool.clients.upstream.base-url=" + upstream.baseUrl(),
						"--http.pool.clients.upstream.protocol=h2c", "--http.pool.shutdown-timeout=10s");
			WebClient upstreamClient = context.getBean("upstreamWebClient", WebClient.class);
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			CompletableFuture<ResponseEntity<String>> inbound = WebClient.create("http://127.0.0.1:" + port)
				.get()
				.uri("/relay")
				.retrieve()
				.toEntity(String.class)
				.toFuture();
			assertThat(firstOutboundCall.await(10, TimeUnit.SECONDS)).isTrue();

			CompletableFuture<Void> closed = CompletableFuture.runAsync(context::close);
			ResponseEntity<String> response = inbound.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			assertThat(response.getStatusCode().value()).isEqualTo(200);
			assertThat(response.getBody()).isEqualTo("ok,ok,ok");
			assertThat(upstream.requests()).isEqualTo(3);
			closed.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

			Awaitility.await().atMost(TIMEOUT).untilAsserted(() -> {
				assertThat(upstream.openConnections()).isZero();
				assertThat(poolThreads()).isSubsetOf(threadsBefore);
			});
			StepVerifier.create(upstreamClient.get().uri("/late").retrieve().bodyToMono(String.class))
				.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(HttpPoolShutdownException.class)
					.hasMessageContaining("'upstream'")
					.hasMessageContaining("shutting down"))
				.verify(TIMEOUT);
			assertThat(upstream.requests()).isEqualTo(3);
		}
	}

	private static Set<String> poolThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter(Thread::isAlive)
			.map(Thread::getName)
			.filter((name) -> name.startsWith("http-pool"))
			.collect(Collectors.toSet());
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class RelayApplication {

		@Bean
		RouterFunction<ServerResponse> relay(@Qualifier("upstream") WebClient upstream) {
			return RouterFunctions.route()
				.GET("/relay",
						(request) -> Flux.range(0, 3)
							.concatMap((i) -> upstream.get().uri("/call/{i}", i).retrieve().bodyToMono(String.class))
							.collect(Collectors.joining(","))
							.flatMap((body) -> ServerResponse.ok().bodyValue(body)))
				.build();
		}

	}

}
