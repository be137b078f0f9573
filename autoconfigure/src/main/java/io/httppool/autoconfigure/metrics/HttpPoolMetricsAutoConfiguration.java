package io.httppool.autoconfigure.metrics;

import io.httppool.HttpPoolClients;
import io.httppool.autoconfigure.HttpPoolAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code http.pool.*} meters: pool gauges and the
 * opened-connections counter of every client, and the {@code http.pool.requests} timer of
 * every attempt. Switched off with {@code management.metrics.enable.http.pool=false}
 * (Spring Boot's meter filter).
 *
 * @author http-pool team
 * @since 0.1.0
 */
@AutoConfiguration(after = { HttpPoolAutoConfiguration.class, MetricsAutoConfiguration.class,
		CompositeMeterRegistryAutoConfiguration.class })
@ConditionalOnClass({ MeterRegistry.class, MetricsAutoConfiguration.class })
@ConditionalOnBean({ MeterRegistry.class, HttpPoolClients.class })
public final class HttpPoolMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	HttpPoolRequestMetricsCustomizer httpPoolRequestMetricsCustomizer(MeterRegistry registry) {
		return new HttpPoolRequestMetricsCustomizer(registry);
	}

	@Bean
	@ConditionalOnMissingBean
	HttpPoolsMeterBinder httpPoolsMeterBinder(HttpPoolClients clients) {
		return new HttpPoolsMeterBinder(clients);
	}

}
