package io.httppool.resize;

import io.httppool.HttpPoolClients;
import io.httppool.test.Actuator;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code httppools} endpoint exposed with its default access: it reads, but refuses
 * to resize a pool until {@code management.endpoint.httppools.access=unrestricted}.
 */
@SpringBootTest(classes = PoolResizeAccessTests.App.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive",
				"management.endpoints.web.exposure.include=httppools", "http.pool.clients.stt.protocol=http1",
				"http.pool.clients.stt.max-connections=7" })
@DirtiesContext
class PoolResizeAccessTests {

	@LocalServerPort
	private int port;

	@Autowired
	private HttpPoolClients clients;

	@Test
	void whenTheEndpointIsReadOnlyByDefaultThenAWriteIsRefusedAndThePoolKeepsItsSize() {
		Actuator actuator = new Actuator(this.port);
		assertThat(actuator.get("/httppools/stt").status()).isEqualTo(200);
		Actuator.Response write = actuator.post("/httppools/stt", "{\"max-connections\": 70}");
		assertThat(write.status()).as(write.body()).isEqualTo(405);
		assertThat(this.clients.get("stt").settings().pool().maxConnections()).isEqualTo(7);
		assertThat(actuator.get("/httppools/stt").<Integer>read("$.settings['max-connections']")).isEqualTo(7);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

}
