package io.httppool.benchmarks.load;

import java.time.Duration;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * nginx's upstream for the 20 ms case: nginx has no delay of its own without a module, so
 * {@code /delay} is proxied (keep-alive, HTTP/1.1) to this Reactor Netty server in the
 * harness JVM, which answers after the delay on its event loop's timer.
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
				.sendString(Mono.delay(delay).thenReturn("ok")))
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
