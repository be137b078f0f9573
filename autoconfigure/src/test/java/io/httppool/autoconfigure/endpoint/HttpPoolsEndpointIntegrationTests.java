package io.httppool.autoconfigure.endpoint;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.httppool.test.TestUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.HttpProtocol;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The {@code httppools} endpoint of a running application, read over real HTTP while its
 * clients talk to real upstreams on loopback.
 */
@SpringBootTest(classes = HttpPoolsEndpointIntegrationTests.App.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=health,httppools",
				"http.pool.defaults.connect-timeout=2s", "http.pool.defaults.max-connections=8",
				"http.pool.clients.stt.protocol=h2c",
				"http.pool.clients.stt.default-headers.Authorization=Bearer " + HttpPoolsEndpointIntegrationTests.TOKEN,
				"http.pool.clients.stt.default-headers.X-Tenant=acme", "http.pool.clients.stt.max-connections=3",
				"http.pool.clients.held.protocol=h2c", "http.pool.clients.held.max-connections=1",
				"http.pool.clients.held.http2.max-concurrent-streams=2", "http.pool.clients.held.retry.enabled=false",
				"http.pool.clients.legacy.protocol=http1", "http.pool.clients.legacy.max-connections=2",
				"http.pool.clients.legacy.retry.enabled=false",
				"http.pool.clients.search.base-url=https://svc:" + HttpPoolsEndpointIntegrationTests.URL_PASSWORD
						+ "@search.invalid/v1",
				"http.pool.clients.search.proxy.host=proxy.invalid", "http.pool.clients.search.proxy.port=3128",
				"http.pool.clients.search.proxy.username=svc",
				"http.pool.clients.search.proxy.password=" + HttpPoolsEndpointIntegrationTests.PROXY_PASSWORD })
@DirtiesContext
class HttpPoolsEndpointIntegrationTests {

	static final String TOKEN = "tok-5f0c1e9a-secret";

	static final String URL_PASSWORD = "url-7d2b-secret";

	static final String PROXY_PASSWORD = "proxy-3a91-secret";

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final Queue<String> authorizationsSeen = new ConcurrentLinkedQueue<>();

	private static volatile Sinks.Empty<Void> release = Sinks.empty();

	private static final TestUpstream upstream = TestUpstream.speaking(HttpProtocol.H2C)
		.handler((request, response) -> {
			authorizationsSeen.add(String.valueOf(request.requestHeaders().get("Authorization")));
			return response.sendString(Mono.just("ok"));
		})
		.start();

	private static final TestUpstream holdingUpstream = TestUpstream.speaking(HttpProtocol.H2C, HttpProtocol.HTTP11)
		.handler((request, response) -> response.sendString(release.asMono().thenReturn("ok")))
		.start();

	@LocalServerPort
	private int port;

	@Autowired
	@Qualifier("stt")
	private WebClient stt;

	@Autowired
	@Qualifier("held")
	private WebClient held;

	@Autowired
	@Qualifier("legacy")
	private WebClient legacy;

	@Autowired
	private CircuitBreakerRegistry circuitBreakers;

	@DynamicPropertySource
	static void upstreams(DynamicPropertyRegistry registry) {
		registry.add("http.pool.clients.stt.base-url", upstream::baseUrl);
		registry.add("http.pool.clients.held.base-url", holdingUpstream::baseUrl);
		registry.add("http.pool.clients.legacy.base-url", holdingUpstream::baseUrl);
	}

	@AfterAll
	static void closeUpstreams() {
		release.tryEmitEmpty();
		upstream.close();
		holdingUpstream.close();
	}

	@Test
	void listsEveryClientWithItsMergedSettingsAndLiveState() {
		Response response = get("/actuator/httppools");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.contentType().isCompatibleWith(MediaType.APPLICATION_JSON)
				|| response.contentType().getSubtype().endsWith("+json"))
			.isTrue();
		JsonNode clients = response.json().path("clients");
		assertThat(clients.propertyNames()).containsExactly("stt", "held", "legacy", "search");
		JsonNode stt = clients.path("stt").path("settings");
		assertThat(stt.path("base-url").asString()).isEqualTo(upstream.baseUrl());
		assertThat(stt.path("protocol").asString()).isEqualTo("h2c");
		assertThat(stt.path("max-connections").asInt()).isEqualTo(3);
		assertThat(stt.path("connect-timeout").asString()).isEqualTo("2s");
		assertThat(stt.path("response-timeout").asString()).isEqualTo("30s");
		assertThat(clients.path("legacy").path("settings").path("max-connections").asInt()).isEqualTo(2);
		assertThat(clients.path("search").path("settings").path("max-connections").asInt()).isEqualTo(8);
		JsonNode sttState = clients.path("stt").path("state");
		assertThat(sttState.path("protocol").asString()).isEqualTo("HTTP/2");
		assertThat(sttState.path("maxConnections").asInt()).isEqualTo(3);
		assertThat(sttState.path("maxConcurrentStreams").asInt()).isEqualTo(100);
		JsonNode legacyState = clients.path("legacy").path("state");
		assertThat(legacyState.path("protocol").asString()).isEqualTo("HTTP/1.1");
		assertThat(legacyState.has("activeStreams")).isFalse();
	}

	@Test
	void secretsAreSentUpstreamButNeverShown() {
		String body = this.stt.get().uri("/secret").retrieve().bodyToMono(String.class).block(Duration.ofSeconds(10));
		assertThat(body).isEqualTo("ok");
		assertThat(authorizationsSeen).contains("Bearer " + TOKEN);
		for (String path : List.of("/actuator/httppools", "/actuator/httppools/stt", "/actuator/httppools/search")) {
			Response response = get(path);
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).doesNotContain(TOKEN, URL_PASSWORD, PROXY_PASSWORD);
		}
		JsonNode stt = get("/actuator/httppools/stt").json().path("settings");
		assertThat(stt.path("default-headers").path("Authorization").asString()).isEqualTo("******");
		assertThat(stt.path("default-headers").path("X-Tenant").asString()).isEqualTo("acme");
		JsonNode search = get("/actuator/httppools/search").json().path("settings");
		assertThat(search.path("base-url").asString()).isEqualTo("https://svc:******@search.invalid/v1");
		assertThat(search.path("proxy").path("host").asString()).isEqualTo("proxy.invalid");
		assertThat(search.path("proxy").path("password").asString()).isEqualTo("******");
	}

	@Test
	void unknownClientAnswers404WithJsonBody() {
		Response response = get("/actuator/httppools/nope");
		assertThat(response.status()).isEqualTo(404);
		JsonNode body = response.json();
		assertThat(body.path("status").asInt()).isEqualTo(404);
		assertThat(body.path("message").asString()).contains("'nope'");
		assertThat(body.path("clients").values()).extracting(JsonNode::asString)
			.containsExactly("stt", "held", "legacy", "search");
	}

	@Test
	void requestsConnectionsAndReuseMoveWithTraffic() {
		JsonNode before = get("/actuator/httppools/stt").json().path("state");
		for (int i = 0; i < 10; i++) {
			this.stt.get().uri("/chunk/" + i).retrieve().bodyToMono(String.class).block(Duration.ofSeconds(10));
		}
		JsonNode after = get("/actuator/httppools/stt").json().path("state");
		assertThat(after.path("requests").asLong()).isEqualTo(before.path("requests").asLong() + 10)
			.isEqualTo(upstream.requests());
		assertThat(after.path("connectionsOpened").asLong()).isEqualTo(upstream.connectionsAccepted());
		double expectedReuse = 1.0 - (double) upstream.connectionsAccepted() / upstream.requests();
		assertThat(after.path("reuseRatio").asDouble()).isCloseTo(expectedReuse, within(1e-9)).isGreaterThan(0.5);
		assertThat(after.path("pendingAcquires").asInt()).isZero();
		// Reactor Netty hands the stream back to the pool on its event loop, after the
		// body
		// reached the caller: under load the endpoint can read it still active (seen once
		// in a full run on a machine at load 30)
		await().atMost(Duration.ofSeconds(10))
			.until(() -> get("/actuator/httppools/stt").json().path("state").path("activeStreams").asInt() == 0);
	}

	@Test
	void inFlightHttp2RequestsShowAsActiveStreamsThenPending() {
		inFlightRequestsShowInTheEndpoint(this.held, "held", "activeStreams");
	}

	@Test
	void inFlightHttp11RequestsShowAsActiveConnectionsThenPending() {
		inFlightRequestsShowInTheEndpoint(this.legacy, "legacy", "activeConnections");
	}

	@Test
	void circuitBreakerStateComesFromResilience4j() {
		this.circuitBreakers.circuitBreaker("search").transitionToOpenState();
		assertThat(get("/actuator/httppools/search").json().path("state").path("circuitBreaker").asString())
			.isEqualTo("OPEN");
		this.circuitBreakers.circuitBreaker("search").transitionToClosedState();
		assertThat(get("/actuator/httppools/search").json().path("state").path("circuitBreaker").asString())
			.isEqualTo("CLOSED");
	}

	/**
	 * Capacity 2 (two streams on one connection, or two connections): three requests the
	 * upstream holds open fill it and queue one.
	 */
	private void inFlightRequestsShowInTheEndpoint(WebClient client, String name, String inUseKey) {
		release = Sinks.empty();
		String path = "/actuator/httppools/" + name;
		long requestsBefore = get(path).json().path("state").path("requests").asLong();
		List<Disposable> calls = new ArrayList<>();
		Queue<String> bodies = new ConcurrentLinkedQueue<>();
		try {
			for (int i = 0; i < 3; i++) {
				calls.add(client.get().uri("/hold/" + i).retrieve().bodyToMono(String.class).subscribe(bodies::add));
			}
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				JsonNode state = get(path).json().path("state");
				assertThat(state.path(inUseKey).asInt()).isEqualTo(2);
				assertThat(state.path("pendingAcquires").asInt()).isEqualTo(1);
				assertThat(state.path("utilization").asDouble()).isEqualTo(1.0);
			});
			release.tryEmitEmpty();
			await().atMost(Duration.ofSeconds(10)).until(() -> bodies.size() == 3);
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				JsonNode state = get(path).json().path("state");
				assertThat(state.path(inUseKey).asInt()).isZero();
				assertThat(state.path("pendingAcquires").asInt()).isZero();
				assertThat(state.path("utilization").asDouble()).isZero();
				assertThat(state.path("requests").asLong()).isEqualTo(requestsBefore + 3);
			});
		}
		finally {
			release.tryEmitEmpty();
			calls.forEach(Disposable::dispose);
		}
	}

	private Response get(String path) {
		RestClient client = RestClient.builder()
			.requestFactory(new SimpleClientHttpRequestFactory())
			.baseUrl("http://127.0.0.1:" + this.port)
			.build();
		return client.get()
			.uri(path)
			.exchangeForRequiredValue((request, response) -> new Response(response.getStatusCode().value(),
					response.getHeaders().getContentType(),
					new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8)));
	}

	record Response(int status, MediaType contentType, String body) {

		JsonNode json() {
			return json.readTree(this.body);
		}

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

	}

}
