package io.httppool.autoconfigure.metrics;

import io.httppool.HttpPoolClientCustomizer;
import io.httppool.HttpPoolClientSettings;
import io.httppool.metrics.HttpPoolRestClientObservationConvention;
import io.httppool.metrics.HttpPoolWebClientObservationConvention;

import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Gives the {@code WebClient} and the {@code RestClient} of every client an observation
 * convention that adds the {@code client} key to Spring Boot's
 * {@code http.client.requests} observation (see
 * {@link HttpPoolWebClientObservationConvention}): one observation per call, as Spring
 * Boot makes it, with no second timer. A side whose convention the application defines
 * itself (a {@code ClientRequestObservationConvention} bean) keeps it unchanged. Define a
 * bean of this type to replace it.
 *
 * @author http-pool team
 * @since 0.2.0
 */
public class HttpPoolObservationCustomizer implements HttpPoolClientCustomizer {

	private final String name;

	private final boolean webClient;

	private final boolean restClient;

	/**
	 * Create a customizer.
	 * @param name the observation name
	 * ({@code management.observations.http.client.requests.name})
	 * @param webClient whether to set the convention of the {@code WebClient}s
	 * @param restClient whether to set the convention of the {@code RestClient}s
	 */
	public HttpPoolObservationCustomizer(String name, boolean webClient, boolean restClient) {
		this.name = name;
		this.webClient = webClient;
		this.restClient = restClient;
	}

	@Override
	public void customizeWebClient(HttpPoolClientSettings settings, WebClient.Builder builder) {
		if (this.webClient) {
			builder.observationConvention(new HttpPoolWebClientObservationConvention(this.name, settings.name()));
		}
	}

	@Override
	public void customizeRestClient(HttpPoolClientSettings settings, RestClient.Builder builder) {
		if (this.restClient) {
			builder.observationConvention(new HttpPoolRestClientObservationConvention(this.name, settings.name()));
		}
	}

}
