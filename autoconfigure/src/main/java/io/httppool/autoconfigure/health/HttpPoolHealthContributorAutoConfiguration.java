package io.httppool.autoconfigure.health;

import java.util.LinkedHashMap;
import java.util.Map;

import io.httppool.HttpPoolClient;
import io.httppool.HttpPoolClients;
import io.httppool.autoconfigure.HttpPoolAutoConfiguration;
import io.httppool.health.CircuitBreakerStates;
import io.httppool.health.HttpPoolHealthIndicator;
import io.httppool.ratelimit.RateLimitStates;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code httpPools} health contributor: one
 * {@link HttpPoolHealthIndicator} per client, at
 * {@code /actuator/health/httpPools/<name>}. Switched off with
 * {@code management.health.httppools.enabled=false}. In no probe group unless the
 * application says so with Spring Boot's
 * {@code management.endpoint.health.group.readiness.include=readinessState,httpPools}.
 *
 * @author http-pool team
 * @since 0.1.0
 */
@AutoConfiguration(after = HttpPoolAutoConfiguration.class, before = HealthContributorAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(HttpPoolClients.class)
@ConditionalOnEnabledHealthIndicator("httppools")
public final class HttpPoolHealthContributorAutoConfiguration {

	/**
	 * Name of the contributor bean; the health contributor name is {@code httpPools}.
	 */
	static final String BEAN_NAME = "httpPoolsHealthContributor";

	@Bean(BEAN_NAME)
	@ConditionalOnMissingBean(name = BEAN_NAME)
	CompositeHealthContributor httpPoolsHealthContributor(HttpPoolClients clients,
			ObjectProvider<CircuitBreakerStates> circuitBreakerStates,
			ObjectProvider<RateLimitStates> rateLimitStates) {
		CircuitBreakerStates breakers = circuitBreakerStates.getIfAvailable();
		RateLimitStates rateLimits = rateLimitStates.getIfAvailable();
		Map<String, HealthIndicator> indicators = new LinkedHashMap<>();
		for (HttpPoolClient client : clients.all()) {
			indicators.put(client.name(), new HttpPoolHealthIndicator(client, breakers, rateLimits));
		}
		return CompositeHealthContributor.fromMap(indicators);
	}

}
