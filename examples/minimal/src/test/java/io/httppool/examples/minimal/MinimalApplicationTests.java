package io.httppool.examples.minimal;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application starts with the README's dependency only and a YAML shaped like the
 * README's (two clients over defaults), and both clients
 * reach a local server (port chosen by the OS) that answers with what it saw.
 */
@SpringBootTest
class MinimalApplicationTests {

	private static final DisposableServer server = HttpServer.create()
		.host("127.0.0.1")
		.port(0)
		.protocol(HttpProtocol.HTTP11, HttpProtocol.H2C)
		.handle((request, response) -> response.sendString(
				Mono.just(request.uri() + " " + request.protocol() + " " + request.requestHeaders().get("User-Agent"))))
		.bindNow();

	@Autowired
	private Inventory inventory;

	@Autowired
	@Qualifier("stt")
	private WebClient stt;

	@DynamicPropertySource
	static void localServer(DynamicPropertyRegistry registry) {
		String baseUrl = "http://127.0.0.1:" + server.port();
		registry.add("http.pool.clients.inventory.base-url", () -> baseUrl);
		registry.add("http.pool.clients.stt.base-url", () -> baseUrl);
		registry.add("http.pool.clients.stt.protocol", () -> "h2c");
	}

	@AfterAll
	static void stopServer() {
		server.disposeNow();
	}

	@Test
	void inventoryClientCallsTheServerOverHttp11WithTheDefaultHeaders() {
		assertThat(this.inventory.stock("apples")).isEqualTo("/stock/apples HTTP/1.1 minimal-example/0.1");
	}

	@Test
	void sttClientCallsTheServerOverHttp2() {
		String answer = this.stt.get()
			.uri("/v1/models")
			.retrieve()
			.bodyToMono(String.class)
			.block(Duration.ofSeconds(10));
		assertThat(answer).isEqualTo("/v1/models HTTP/2.0 minimal-example/0.1");
	}

}
