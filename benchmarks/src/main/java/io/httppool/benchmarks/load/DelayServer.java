package io.httppool.benchmarks.load;

import java.time.Duration;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * nginx's upstream, a Reactor Netty server in the harness JVM reached over keep-alive
 * HTTP/1.1: nginx has no delay of its own without a module, so {@code /delay} is proxied
 * here and answered after the delay on the event loop's timer; {@code /upload}, whose
 * body nginx has read and does not pass on, is answered at once.
 *
 * @author http-pool team
 */
final class DelayServer implements AutoCloseable {

	private final LoopResources loops;

	private final DisposableServer server;

	DelayServer(Duration delay) {
		this.loops = LoopResources.create("delay-server", 1, true);
		this.server = HttpServer.create()
			.runOn(this.loops)
			.host("127.0.0.1")
			.port(0)
			.handle((request, response) -> response.header("content-type", "text/plain")
				.sendString(request.uri().startsWith("/delay") ? Mono.delay(delay).thenReturn("ok") : Mono.just("ok")))
			.bindNow();
	}

	int port() {
		return this.server.port();
	}

	@Override
	public void close() {
		this.server.disposeNow();
		this.loops.disposeLater().block(Duration.ofSeconds(5));
	}

}
