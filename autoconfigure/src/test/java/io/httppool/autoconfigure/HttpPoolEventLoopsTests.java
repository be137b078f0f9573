package io.httppool.autoconfigure;

import java.time.Duration;

import io.httppool.test.HttpPoolTestContexts;
import io.httppool.test.TestUpstream;
import org.junit.jupiter.api.Test;
import reactor.netty.http.HttpProtocol;
import reactor.netty.resources.LoopResources;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code http.pool.event-loops}: the thread a response arrives on tells which event loops
 * carried the call.
 */
class HttpPoolEventLoopsTests {

	private final ApplicationContextRunner runner = HttpPoolTestContexts.core();

	@Test
	void byDefaultEveryClientRunsOnItsOwnEventLoops() {
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.HTTP11).start()) {
			this.runner.withUserConfiguration(SharedFactory.class)
				.withPropertyValues("http.pool.clients.api.base-url=" + upstream.baseUrl())
				.run((context) -> {
					assertThat(context.getBean(HttpPoolProperties.class).getEventLoops())
						.isEqualTo(HttpPoolProperties.EventLoops.DEDICATED);
					assertThat(responseThread(context)).startsWith("http-pool-");
				});
		}
	}

	@Test
	void whenSharedTheClientsRunOnTheLoopsOfBootsReactorResourceFactory() {
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.HTTP11).start()) {
			this.runner.withUserConfiguration(SharedFactory.class)
				.withPropertyValues("http.pool.event-loops=shared",
						"http.pool.clients.api.base-url=" + upstream.baseUrl())
				.run((context) -> {
					assertThat(responseThread(context)).startsWith("shared-loops-");
					// the factory owns them: closing the clients' factory leaves them
					// open
					context.getBean(io.httppool.HttpPoolClientFactory.class).close();
					assertThat(context.getBean(SharedFactory.class).loops.isDisposed()).isFalse();
					assertThat(responseThread(context)).startsWith("shared-loops-");
				});
		}
	}

	@Test
	void whenSharedWithoutAResourceFactoryTheClientsRunOnReactorNettysGlobalLoops() {
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.HTTP11).start()) {
			this.runner
				.withPropertyValues("http.pool.event-loops=shared",
						"http.pool.clients.api.base-url=" + upstream.baseUrl())
				.run((context) -> assertThat(responseThread(context)).startsWith("reactor-http-"));
		}
	}

	@Test
	void anUnknownValueStopsTheApplicationNamingTheKey() {
		this.runner.withPropertyValues("http.pool.event-loops=private").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("private");
			assertThat(context.getStartupFailure())
				.hasStackTraceContaining("Failed to bind properties under 'http.pool.event-loops'");
		});
	}

	private static String responseThread(ApplicationContext context) {
		return HttpPoolTestContexts.getRoot(context, "api")
			.map((response) -> Thread.currentThread().getName())
			.block(Duration.ofSeconds(10));
	}

	@Configuration(proxyBeanMethods = false)
	static class SharedFactory {

		final LoopResources loops = LoopResources.create("shared-loops", 1, true);

		@Bean
		ReactorResourceFactory reactorResourceFactory() {
			ReactorResourceFactory factory = new ReactorResourceFactory();
			factory.setUseGlobalResources(false);
			// the factory owns them and closes them with the context
			factory.setLoopResourcesSupplier(() -> this.loops);
			return factory;
		}

	}

}
