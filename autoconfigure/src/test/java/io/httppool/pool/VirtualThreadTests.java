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
 * the virtual-thread executor and {@code Thread.isVirtual()} are looked up through method
 * handles.
 * <p>
 * The recording holds the pinned event only: with {@code jdk.VirtualThreadStart} enabled
 * too, JDK 25 pins a carrier inside that event's own commit (a contended monitor in
 * {@code VirtualThreadStartEvent.commit()}), a pin of the JDK's recorder, not of the
 * call.
 */
@EnabledForJreRange(min = JRE.JAVA_21)
class VirtualThreadTests {

	private static final int CALLS = 200;

	private static final String PINNED = "jdk.VirtualThreadPinned";

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
				// warm up with the calls' own shape: the first call opens the connection
				// and
				// initialises every class on the path, so no virtual thread waits on
				// another's
				// class initialisation (a pin the JDK reports, not one of the call)
				assertThat(restClient.get().uri("/calls/{call}", "warm-up").retrieve().body(String.class))
					.isEqualTo("ok");
				List<RecordedEvent> events;
				List<Call> calls = new ArrayList<>();
				try (Recording recording = new Recording()) {
					recording.enable(PINNED).withThreshold(Duration.ZERO).withStackTrace();
					recording.start();
					calls.addAll(callFromVirtualThreads(restClient));
					recording.stop();
					Path file = this.recordings.resolve(protocol + ".jfr");
					recording.dump(file);
					events = RecordingFile.readAllEvents(file);
				}
				assertThat(calls).hasSize(CALLS).extracting(Call::body).containsOnly("ok");
				assertThat(calls).as("every call ran on a virtual thread").allMatch(Call::onVirtualThread);
				assertThat(upstream.requests()).isEqualTo(CALLS + 1);
				assertThat(events).filteredOn((event) -> event.getEventType().getName().equals(PINNED)).isEmpty();
			});
		}
	}

	private static List<Call> callFromVirtualThreads(RestClient restClient) throws Throwable {
		MethodHandle isVirtual = MethodHandles.publicLookup()
			.findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
		CountDownLatch start = new CountDownLatch(1);
		List<Future<Call>> calls = new ArrayList<>();
		// not try-with-resources: ExecutorService is AutoCloseable only from JDK 19 on
		ExecutorService executor = newVirtualThreadPerTaskExecutor();
		try {
			for (int i = 0; i < CALLS; i++) {
				int call = i;
				calls.add(executor.submit(() -> {
					start.await();
					String body = restClient.get().uri("/calls/{call}", call).retrieve().body(String.class);
					return new Call(body, invokeIsVirtual(isVirtual));
				}));
			}
			start.countDown();
			List<Call> done = new ArrayList<>();
			for (Future<Call> call : calls) {
				done.add(call.get(30, TimeUnit.SECONDS));
			}
			return done;
		}
		finally {
			executor.shutdownNow();
			assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		}
	}

	private static boolean invokeIsVirtual(MethodHandle isVirtual) throws Exception {
		try {
			return (boolean) isVirtual.invoke(Thread.currentThread());
		}
		catch (Exception | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IllegalStateException(ex);
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

	private record Call(String body, boolean onVirtualThread) {

	}

}
