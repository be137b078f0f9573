package io.httppool.pool;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.httppool.autoconfigure.HttpPoolAutoConfiguration;
import io.httppool.autoconfigure.resilience.HttpPoolResilienceAutoConfiguration;
import io.httppool.test.TestUpstream;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.netty.http.HttpProtocol;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The blocking {@link RestClient} path called from virtual threads: 200 calls in flight
 * at once, each on its own virtual thread, and JFR records no
 * {@code jdk.VirtualThreadPinned} event, so no call held its carrier thread while it
 * waited for the network. Runs on JDK 21 and later; the code is compiled for Java 17, so
 * the virtual-thread executor is looked up through a method handle.
 */
@EnabledForJreRange(min = JRE.JAVA_21)
class VirtualThreadTests {

	private static final int CALLS = 200;

	private static final String PINNED = "jdk.VirtualThreadPinned";

	private static final String STARTED = "jdk.VirtualThreadStart";

	@TempDir
	Path recordings;

	@ParameterizedTest
	@ValueSource(strings = { "h2c", "http1" })
	void whenTwoHundredVirtualThreadsCallAtOnceThenNoCarrierIsPinned(String protocol) {
		try (TestUpstream upstream = (protocol.equals("h2c") ? TestUpstream.speaking(HttpProtocol.H2C)
				: TestUpstream.speaking(HttpProtocol.HTTP11))
			.delay(Duration.ofMillis(50))
			.start()) {
			runner(protocol, upstream).run((context) -> {
				RestClient restClient = context.getBean("sttRestClient", RestClient.class);
				// warm up: the first call loads classes and opens the connection
				assertThat(restClient.get().uri("/warm-up").retrieve().body(String.class)).isEqualTo("ok");
				List<RecordedEvent> events;
				List<String> bodies = new ArrayList<>();
				try (Recording recording = new Recording()) {
					recording.enable(PINNED).withThreshold(Duration.ZERO).withStackTrace();
					recording.enable(STARTED);
					recording.start();
					bodies.addAll(callFromVirtualThreads(restClient));
					recording.stop();
					Path file = this.recordings.resolve(protocol + ".jfr");
					recording.dump(file);
					events = RecordingFile.readAllEvents(file);
				}
				assertThat(bodies).hasSize(CALLS).containsOnly("ok");
				assertThat(upstream.requests()).isEqualTo(CALLS + 1);
				assertThat(events).as("the recording saw the calls' virtual threads")
					.filteredOn((event) -> event.getEventType().getName().equals(STARTED))
					.hasSizeGreaterThanOrEqualTo(CALLS);
				assertThat(events).filteredOn((event) -> event.getEventType().getName().equals(PINNED)).isEmpty();
			});
		}
	}

	private static List<String> callFromVirtualThreads(RestClient restClient) throws Throwable {
		CountDownLatch start = new CountDownLatch(1);
		List<Future<String>> calls = new ArrayList<>();
		// not try-with-resources: ExecutorService is AutoCloseable only from JDK 19 on
		ExecutorService executor = newVirtualThreadPerTaskExecutor();
		try {
			for (int i = 0; i < CALLS; i++) {
				int call = i;
				calls.add(executor.submit(() -> {
					start.await();
					return restClient.get().uri("/calls/{call}", call).retrieve().body(String.class);
				}));
			}
			start.countDown();
			List<String> bodies = new ArrayList<>();
			for (Future<String> call : calls) {
				bodies.add(call.get(30, TimeUnit.SECONDS));
			}
			return bodies;
		}
		finally {
			executor.shutdownNow();
			assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		}
	}

	/**
	 * {@code Executors.newVirtualThreadPerTaskExecutor()}, a JDK 21 method, called from
	 * code compiled for Java 17.
	 */
	private static ExecutorService newVirtualThreadPerTaskExecutor() throws Throwable {
		MethodHandle factory = MethodHandles.publicLookup()
			.findStatic(Executors.class, "newVirtualThreadPerTaskExecutor",
					MethodType.methodType(ExecutorService.class));
		return (ExecutorService) factory.invoke();
	}

	private static ApplicationContextRunner runner(String protocol, TestUpstream upstream) {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(HttpPoolAutoConfiguration.class,
				HttpPoolResilienceAutoConfiguration.class, WebClientAutoConfiguration.class,
				RestClientAutoConfiguration.class, SslAutoConfiguration.class,
				io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration.class,
				io.github.resilience4j.springboot.retry.autoconfigure.RetryAutoConfiguration.class))
			.withPropertyValues("spring.threads.virtual.enabled=true", "http.pool.shutdown-timeout=2s",
					"http.pool.clients.stt.base-url=" + upstream.baseUrl(),
					"http.pool.clients.stt.protocol=" + protocol, "http.pool.clients.stt.max-connections=" + CALLS);
	}

}
