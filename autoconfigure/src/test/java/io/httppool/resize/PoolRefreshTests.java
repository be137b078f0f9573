package io.httppool.resize;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import io.httppool.HttpPoolClients;
import io.httppool.test.TestUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import reactor.netty.http.HttpProtocol;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cloud.context.refresh.ContextRefresher;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.ClassUtils;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Cloud's refresh ({@code spring-cloud-context}'s {@link ContextRefresher}, as
 * {@code POST /actuator/refresh} runs it) re-reads a config file whose pool sizes
 * changed: the pool is resized, other keys stay as they were, and a value the startup
 * rules reject leaves the pool as it is. Runs in the build's {@code refresh-tests}
 * execution, the only one with {@code spring-cloud-context} on the classpath.
 */
@SpringBootTest(classes = PoolRefreshTests.App.class,
		properties = { "spring.main.web-application-type=none", "http.pool.clients.stt.protocol=http1" })
@DirtiesContext
@EnabledIf("springCloudContextPresent")
class PoolRefreshTests {

	// read by config data at startup and on refresh; in the module's build directory
	static final String CONFIG = "target/http-pool-refresh-tests.properties";

	private static final Path config = Path.of(CONFIG);

	private static final TestUpstream upstream = TestUpstream.speaking(HttpProtocol.HTTP11).start();

	// looked up, not a field: the class loads without spring-cloud-context, then skips
	@Autowired
	private ApplicationContext context;

	@Autowired
	private HttpPoolClients clients;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("http.pool.clients.stt.base-url", upstream::baseUrl);
	}

	@AfterAll
	static void stopUpstream() throws IOException {
		upstream.close();
		Files.deleteIfExists(config);
		System.clearProperty("spring.config.import");
	}

	static boolean springCloudContextPresent() {
		return ClassUtils.isPresent("org.springframework.cloud.context.refresh.ContextRefresher", null);
	}

	@Test
	void whenARefreshChangesThePoolSizesThenThePoolIsResized() throws IOException {
		ContextRefresher refresher = this.context.getBean(ContextRefresher.class);
		assertThat(this.clients.get("stt").settings().pool().maxConnections()).isEqualTo(4);
		RestClient restClient = this.clients.get("stt").restClient();
		assertThat(restClient.get().uri("/").retrieve().body(String.class)).isNotNull();

		write("http.pool.clients.stt.max-connections=12\nhttp.pool.clients.stt.pending-acquire-max-count=99\n");
		Set<String> changed = refresher.refreshEnvironment();

		assertThat(changed).contains("http.pool.clients.stt.max-connections");
		assertThat(this.clients.get("stt").settings().pool().maxConnections()).isEqualTo(12);
		assertThat(this.clients.get("stt").settings().pool().pendingAcquireMaxCount()).isEqualTo(99);
		assertThat(this.clients.get("stt").state().maxConnections()).isEqualTo(12);
		int accepted = upstream.connectionsAccepted();
		assertThat(restClient.get().uri("/").retrieve().body(String.class)).as("the same RestClient, the new pool")
			.isNotNull();
		assertThat(upstream.connectionsAccepted()).as("a new pool opens a new connection").isEqualTo(accepted + 1);

		write("http.pool.clients.stt.max-connections=0\n");
		refresher.refreshEnvironment();
		assertThat(this.clients.get("stt").settings().pool().maxConnections()).as("a rejected value is not applied")
			.isEqualTo(12);
	}

	private static void write(String properties) {
		try {
			Files.writeString(config, properties);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@BeforeAll
	static void writeInitialConfig() throws IOException {
		// before the context starts. A system property: the refresh rebuilds config data
		// from the standard sources only, not from a test's inlined properties
		System.setProperty("spring.config.import", "optional:file:" + CONFIG);
		Files.createDirectories(config.getParent());
		Files.writeString(config, "http.pool.clients.stt.max-connections=4\n");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

}
