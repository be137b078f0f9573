package io.httppool.autoconfigure.metrics;

import io.httppool.HttpPoolClients;
import io.httppool.autoconfigure.HttpPoolAutoConfiguration;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Adds the {@code client} key to Spring Boot's {@code http.client.requests} observation
 * of every client's {@code WebClient} and {@code RestClient}, through
 * {@link HttpPoolObservationCustomizer}. Spring Boot's own switches apply:
 * {@code management.observations.enable.http.client.requests=false} turns the observation
 * off, and {@code management.observations.http.client.requests.name} names it.
 *
 * @author http-pool team
 * @since 0.2.0
 */
@AutoConfiguration(after = { HttpPoolAutoConfiguration.class, ObservationAutoConfiguration.class })
@ConditionalOnClass({ ObservationRegistry.class, ObservationProperties.class })
@ConditionalOnBean({ ObservationRegistry.class, HttpPoolClients.class })
@EnableConfigurationProperties(ObservationProperties.class)
public final class HttpPoolObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	HttpPoolObservationCustomizer httpPoolObservationCustomizer(ObservationProperties properties,
			ObjectProvider<org.springframework.web.reactive.function.client.ClientRequestObservationConvention> webClientConventions,
			ObjectProvider<org.springframework.http.client.observation.ClientRequestObservationConvention> restClientConventions) {
		return new HttpPoolObservationCustomizer(properties.getHttp().getClient().getRequests().getName(),
				webClientConventions.getIfAvailable() == null, restClientConventions.getIfAvailable() == null);
	}

}
