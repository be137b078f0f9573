package io.httppool.autoconfigure.concurrency;

import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import io.httppool.HttpPoolClients;
import io.httppool.autoconfigure.HttpPoolAutoConfiguration;
import io.httppool.concurrency.HttpPoolConcurrencyCustomizer;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of adaptive concurrency limits: every client with
 * {@code concurrency.adaptive=true} gets a latency-based limit of attempts in flight
 * (Netflix concurrency-limits, present with the starter), and with Micrometer its
 * {@code http.pool.concurrency.limit} gauge.
 *
 * @author http-pool team
 * @since 0.1.0
 */
@AutoConfiguration(after = HttpPoolAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(SimpleLimiter.class)
public final class HttpPoolConcurrencyAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	HttpPoolConcurrencyCustomizer httpPoolConcurrencyCustomizer() {
		return new HttpPoolConcurrencyCustomizer();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean({ MeterRegistry.class, HttpPoolClients.class })
	static class ConcurrencyMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		HttpPoolConcurrencyMeterBinder httpPoolConcurrencyMeterBinder(HttpPoolClients clients,
				HttpPoolConcurrencyCustomizer limits) {
			return new HttpPoolConcurrencyMeterBinder(clients, limits);
		}

	}

}
