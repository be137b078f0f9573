package io.httppool.services;

import io.httppool.HttpPoolClients;
import io.httppool.test.TestUpstream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpProtocol;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.registry.HttpServiceGroup;
import org.springframework.web.service.registry.ImportHttpServices;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring HTTP service groups whose name matches a configured client run on that client's
 * pool, with its base URL and default headers, for RestClient and WebClient groups alike.
 */
class HttpServiceGroupsTests {

	@Test
	void whenGroupNameMatchesClientThenServiceRunsOnItsPool() {
		try (TestUpstream stt = echoingUpstream();
				TestUpstream llm = echoingUpstream();
				ConfigurableApplicationContext context = new SpringApplicationBuilder(ServicesApplication.class)
					.web(WebApplicationType.NONE)
					.run("--spring.main.banner-mode=off", "--http.pool.clients.stt.base-url=" + stt.baseUrl(),
							"--http.pool.clients.stt.protocol=h2c",
							"--http.pool.clients.stt.default-headers.X-Client=stt-pool",
							"--http.pool.clients.llm.base-url=" + llm.baseUrl(), "--http.pool.clients.llm.protocol=h2c",
							"--http.pool.clients.llm.default-headers.X-Client=llm-pool")) {
			HttpPoolClients clients = context.getBean(HttpPoolClients.class);
			SttApi sttApi = context.getBean(SttApi.class);
			LlmApi llmApi = context.getBean(LlmApi.class);
			for (int i = 0; i < 5; i++) {
				assertThat(sttApi.item("a" + i)).isEqualTo("stt-pool /items/a" + i + " HTTP/2.0");
			}
			assertThat(llmApi.completion("b").block()).isEqualTo("llm-pool /completions/b HTTP/2.0");
			assertThat(clients.get("stt").state().requests()).isEqualTo(5);
			assertThat(clients.get("llm").state().requests()).isEqualTo(1);
			assertThat(stt.connectionsAccepted()).isOne();
			assertThat(llm.connectionsAccepted()).isOne();
		}
	}

	private static TestUpstream echoingUpstream() {
		return TestUpstream.speaking(HttpProtocol.H2C)
			.handler((request,
					response) -> response.sendString(Mono.just(
							request.requestHeaders().get("X-Client") + " " + request.uri() + " " + request.protocol())))
			.start();
	}

	@HttpExchange("/items")
	interface SttApi {

		@GetExchange("/{id}")
		String item(@PathVariable String id);

	}

	@HttpExchange("/completions")
	interface LlmApi {

		@GetExchange("/{id}")
		Mono<String> completion(@PathVariable String id);

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@ImportHttpServices(group = "stt", types = SttApi.class)
	@ImportHttpServices(group = "llm", types = LlmApi.class, clientType = HttpServiceGroup.ClientType.WEB_CLIENT)
	static class ServicesApplication {

	}

}
