package io.httppool.metrics;

import java.net.URI;
import java.util.List;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.web.reactive.function.client.ClientRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conventions that add {@code client} to Spring's {@code http.client.requests}: the
 * keys and values of Spring's default convention, the client besides, and the name given.
 * Fails when a Spring upgrade adds a key the conventions do not pass on.
 */
class HttpPoolObservationConventionTests {

	@Test
	void webClientConventionIsSpringsDefaultWithTheClient() {
		org.springframework.web.reactive.function.client.ClientRequestObservationContext context = new org.springframework.web.reactive.function.client.ClientRequestObservationContext(
				ClientRequest.create(HttpMethod.POST, URI.create("http://stt.example.com/v1/chunks/7")));
		context.setUriTemplate("/v1/chunks/{id}");
		HttpPoolWebClientObservationConvention ours = new HttpPoolWebClientObservationConvention("outbound", "stt");
		KeyValues spring = new org.springframework.web.reactive.function.client.DefaultClientRequestObservationConvention(
				"outbound")
			.getLowCardinalityKeyValues(context);
		assertThat(ours.getName()).isEqualTo("outbound");
		assertThat(list(ours.getLowCardinalityKeyValues(context)))
			.containsExactlyInAnyOrderElementsOf(concat(spring, KeyValue.of(HttpPoolMeters.CLIENT, "stt")));
	}

	@Test
	void restClientConventionIsSpringsDefaultWithTheClient() throws Exception {
		ClientHttpRequest request = new SimpleClientHttpRequestFactory()
			.createRequest(URI.create("http://stt.example.com/v1/chunks/7"), HttpMethod.PUT);
		org.springframework.http.client.observation.ClientRequestObservationContext context = new org.springframework.http.client.observation.ClientRequestObservationContext(
				request);
		context.setUriTemplate("/v1/chunks/{id}");
		HttpPoolRestClientObservationConvention ours = new HttpPoolRestClientObservationConvention("outbound",
				"legacy");
		KeyValues spring = new org.springframework.http.client.observation.DefaultClientRequestObservationConvention(
				"outbound")
			.getLowCardinalityKeyValues(context);
		assertThat(ours.getName()).isEqualTo("outbound");
		assertThat(list(ours.getLowCardinalityKeyValues(context)))
			.containsExactlyInAnyOrderElementsOf(concat(spring, KeyValue.of(HttpPoolMeters.CLIENT, "legacy")));
	}

	private static List<KeyValue> list(KeyValues keyValues) {
		return keyValues.stream().toList();
	}

	private static List<KeyValue> concat(KeyValues keyValues, KeyValue more) {
		return keyValues.and(more).stream().toList();
	}

}
