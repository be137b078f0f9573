package io.httppool.resilience;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.httppool.HttpPoolDeadlineExceededException;
import io.httppool.resilience.ResilienceTesting.Flavour;
import io.httppool.resilience.ResilienceTesting.Outcome;
import io.httppool.test.TestUpstream;
import org.awaitility.Awaitility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpProtocol;

import org.springframework.http.HttpMethod;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same rules over HTTP/2 (h2c), where a cancelled attempt resets a stream instead of
 * closing a connection.
 */
class Http2ResilienceTests {

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void aRetriedStatusIsRetriedOnTheSameConnection(Flavour flavour) {
		AtomicInteger calls = new AtomicInteger();
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.H2C)
			.handler((request, response) -> (calls.incrementAndGet() == 1) ? response.status(503).send()
					: response.sendString(Mono.just("ok")))
			.start()) {
			ResilienceTesting.runner(upstream.baseUrl())
				.withPropertyValues(ResilienceTesting.key("protocol=h2c"))
				.run((context) -> {
					assertThat(flavour.call(context, HttpMethod.GET, "/x").status()).isEqualTo(200);
					assertThat(upstream.requests()).isEqualTo(2);
					assertThat(upstream.requestsByProtocol()).containsOnlyKeys("HTTP/2.0");
					assertThat(upstream.connectionsAccepted()).isEqualTo(1);
				});
		}
	}

	@ParameterizedTest
	@EnumSource(Flavour.class)
	void theDeadlineResetsTheStreamAndKeepsTheConnection(Flavour flavour) {
		try (TestUpstream upstream = TestUpstream.speaking(HttpProtocol.H2C)
			.handler((request, response) -> Mono.never())
			.start()) {
			ResilienceTesting.runner(upstream.baseUrl())
				.withPropertyValues(ResilienceTesting.key("protocol=h2c"), ResilienceTesting.key("timeout=1s"))
				.run((context) -> {
					Outcome outcome = flavour.call(context, HttpMethod.GET, "/hang");
					assertThat(outcome.find(HttpPoolDeadlineExceededException.class)).isNotNull();
					assertThat(upstream.requests()).isEqualTo(1);
					Awaitility.await()
						.atMost(Duration.ofSeconds(10))
						.until(() -> ResilienceTesting.client(context).state().activeStreams() == 0);
					assertThat(upstream.openConnections()).isEqualTo(1);
				});
		}
	}

}
