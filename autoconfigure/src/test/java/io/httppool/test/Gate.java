package io.httppool.test;

import java.util.function.BiFunction;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Holds the responses of a {@link TestUpstream} until the test opens it: a request that
 * arrives while the gate is closed gets no byte back until {@link #open()}. Opening
 * releases every held response; {@link #close()} arms a new gate for the next ones.
 */
public final class Gate {

	private volatile Sinks.Empty<Void> sink = Sinks.empty();

	/**
	 * Handler for {@link TestUpstream.Builder#handler(BiFunction)} that answers
	 * {@code ok} once the gate is open.
	 * @return the handler
	 */
	public BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> handler() {
		return (request, response) -> {
			Mono<Void> opened = this.sink.asMono();
			return response.sendString(opened.thenReturn("ok"));
		};
	}

	/**
	 * Release every held response and those that arrive until {@link #close()}.
	 */
	public void open() {
		this.sink.tryEmitEmpty();
	}

	/**
	 * Hold the responses to requests arriving from now on.
	 */
	public void close() {
		this.sink = Sinks.empty();
	}

}
