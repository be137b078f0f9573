package io.httppool.resilience;

import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.httppool.HttpPoolStreamNotProcessedException;
import io.httppool.resilience.ResilienceTesting.Flavour;
import io.httppool.resilience.ResilienceTesting.Outcome;
import io.httppool.test.TestUpstream;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2StreamChannel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServerRequest;

import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpMethod;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server that closes an HTTP/2 connection with GOAWAY tells the client which streams it
 * did not process (those above the frame's last-stream-id). Here the server answers a
 * request's first arrival with a GOAWAY whose last-stream-id is below that request's
 * stream, as nginx does to the streams that cross its GOAWAY after
 * {@code keepalive_requests}; {@code io.httppool.nginx.NginxGoawayTests} shows the race
 * itself against a real nginx.
 */
class GoawayTests {

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void aPostThatGoawayLeftUnprocessedIsSentAgainOnANewConnection(Flavour flavour) {
		AtomicInteger arrivals = new AtomicInteger();
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.H2C)
			.handler((request, response) -> (arrivals.incrementAndGet() == 1) ? goAwayBelow(request)
					: response.sendString(Mono.just("ok")))
			.start()) {
			ResilienceTesting.runner(upstream.baseUrl())
				.withPropertyValues(ResilienceTesting.key("protocol=h2c"))
				.run((context) -> {
					Outcome outcome = flavour.call(context, HttpMethod.POST, "/jobs", (headers) -> {
					}, "job");
					assertThat(outcome.error()).isNull();
					assertThat(outcome.status()).isEqualTo(200);
					// once on the stream the GOAWAY excluded, once on a new connection
					assertThat(arrivals).hasValue(2);
					assertThat(upstream.connectionsAccepted()).isEqualTo(2);
					assertThat(ResilienceTesting.client(context).state().requests()).isEqualTo(2);
					assertThat(breakerState(context)).isEqualTo(CircuitBreaker.State.CLOSED);
				});
		}
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void aPostCaughtByMoreRotationsThanMaxAttemptsIsStillSentAgainAndSucceeds(Flavour flavour) {
		AtomicInteger arrivals = new AtomicInteger();
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.H2C)
			.handler((request, response) -> (arrivals.incrementAndGet() <= 3) ? goAwayBelow(request)
					: response.sendString(Mono.just("ok")))
			.start()) {
			ResilienceTesting.runner(upstream.baseUrl())
				.withPropertyValues(ResilienceTesting.key("protocol=h2c"))
				.run((context) -> {
					Outcome outcome = flavour.call(context, HttpMethod.POST, "/jobs", (headers) -> {
					}, "job");
					assertThat(outcome.error()).isNull();
					assertThat(outcome.status()).isEqualTo(200);
					// three unprocessed attempts (max-attempts is 3) did not use up the
					// call
					assertThat(arrivals).hasValue(4);
					assertThat(upstream.connectionsAccepted()).isEqualTo(4);
					assertThat(breakerState(context)).isEqualTo(CircuitBreaker.State.CLOSED);
				});
		}
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void withoutRetryTheCallerGetsATypedExceptionAndTheBreakerDoesNotCountIt(Flavour flavour) {
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.H2C)
			.handler((request, response) -> goAwayBelow(request))
			.start()) {
			ResilienceTesting.runner(upstream.baseUrl())
				.withPropertyValues(ResilienceTesting.key("protocol=h2c"), ResilienceTesting.key("retry.enabled=false"))
				.run((context) -> {
					// more than circuit-breaker.consecutive-failures (5)
					for (int i = 0; i < 7; i++) {
						Outcome outcome = flavour.call(context, HttpMethod.GET, "/items");
						HttpPoolStreamNotProcessedException notProcessed = outcome
							.find(HttpPoolStreamNotProcessedException.class);
						assertThat(notProcessed).as("cause of %s", outcome.error()).isNotNull();
						assertThat(notProcessed.getClientName()).isEqualTo(ResilienceTesting.CLIENT);
						assertThat(notProcessed.isGraceful()).isTrue();
						assertThat(notProcessed.getStreamId()).isPositive();
					}
					assertThat(upstream.requests()).isEqualTo(7);
					assertThat(breakerState(context)).isEqualTo(CircuitBreaker.State.CLOSED);
				});
		}
	}

	/**
	 * Send GOAWAY (NO_ERROR) with a last-stream-id below the request's stream, and never
	 * answer it: the stream is one the server declares it did not process.
	 */
	private static Mono<Void> goAwayBelow(HttpServerRequest request) {
		Http2StreamChannel stream = (Http2StreamChannel) ((Connection) request).channel();
		Channel connection = stream.parent();
		Http2FrameCodec codec = connection.pipeline().get(Http2FrameCodec.class);
		ChannelHandlerContext context = connection.pipeline().context(codec);
		int lastStreamId = Math.max(0, stream.stream().id() - 2);
		// the stream channel runs on its connection's event loop, as the codec requires
		codec.goAway(context, lastStreamId, Http2Error.NO_ERROR.code(), Unpooled.EMPTY_BUFFER, context.newPromise());
		context.flush();
		return Mono.never();
	}

	private static CircuitBreaker.State breakerState(ApplicationContext context) {
		return context.getBean(CircuitBreakerRegistry.class).circuitBreaker(ResilienceTesting.CLIENT).getState();
	}

}
