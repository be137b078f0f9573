package io.httppool.pool;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.httppool.HttpPoolClient;
import io.httppool.HttpPoolClients;
import io.httppool.test.HttpPoolTestContexts;
import io.httppool.test.TestUpstream;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpProtocol;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Callers that cancel make the client reset streams; a Netty server (as every Reactor
 * Netty or WebFlux upstream) closes a connection after 200 resets in 30 s, failing every
 * stream in flight on it. The client retires a connection before that.
 */
class Http2ResetBudgetTests {

	private static final int CALLS = 1200;

	@Test
	void whenCallersCancelManyStreamsThenConnectionsAreRetiredBeforeTheServerClosesThem() {
		try (TestUpstream upstream = streamingUpstream()) {
			Outcome outcome = cancelMany(upstream, runner(upstream));
			// one connection per 100 resets, and no call failed
			assertThat(outcome.failed()).as(outcome.toString()).isZero();
			assertThat(upstream.connectionsAccepted()).as(outcome.toString()).isGreaterThanOrEqualTo(CALLS / 2 / 100);
		}
	}

	@Test
	void withoutTheBudgetTheServerClosesTheConnectionAndCallsInFlightFail() {
		try (TestUpstream upstream = streamingUpstream()) {
			Outcome outcome = cancelMany(upstream,
					runner(upstream).withPropertyValues("http.pool.clients.up.http2.max-resets-per-connection=0"));
			assertThat(outcome.failed()).as(outcome.toString()).isPositive();
		}
	}

	private static TestUpstream streamingUpstream() {
		// 64 chunks of 4 KB, one every 5 ms: a caller that takes the first one resets the
		// stream while the server still sends
		return TestUpstream.speaking(HttpProtocol.H2C)
			.handler((request, response) -> response
				.send(Flux.interval(Duration.ofMillis(5)).take(64).map((i) -> Unpooled.wrappedBuffer(new byte[4096]))))
			.start();
	}

	private static ApplicationContextRunner runner(TestUpstream upstream) {
		return HttpPoolTestContexts.core()
			.withPropertyValues("http.pool.shutdown-timeout=2s", "http.pool.clients.up.base-url=" + upstream.baseUrl(),
					"http.pool.clients.up.protocol=h2c");
	}

	/**
	 * Half the calls take the first chunk and cancel, the other half read the whole body,
	 * all on the same pool.
	 */
	private static Outcome cancelMany(TestUpstream upstream, ApplicationContextRunner runner) {
		AtomicInteger failed = new AtomicInteger();
		AtomicInteger[] connections = new AtomicInteger[1];
		runner.run((context) -> {
			HttpPoolClient client = context.getBean(HttpPoolClients.class).get("up");
			Flux.range(0, CALLS).flatMap((i) -> {
				Flux<DataBuffer> body = client.webClient().get().uri("/stream").retrieve().bodyToFlux(DataBuffer.class);
				Mono<?> call = (i % 2 == 0) ? body.take(1).doOnNext(DataBufferUtils::release).then()
						: body.doOnNext(DataBufferUtils::release).then();
				return call.onErrorResume((ex) -> {
					failed.incrementAndGet();
					return Mono.empty();
				});
			}, 32).blockLast(Duration.ofMinutes(2));
			connections[0] = new AtomicInteger(upstream.connectionsAccepted());
		});
		Outcome outcome = new Outcome(failed.get(), connections[0].get());
		System.out.println("reset budget: " + CALLS + " calls, half cancelled after the first chunk: " + outcome);
		return outcome;
	}

	record Outcome(int failed, int connections) {

	}

}
