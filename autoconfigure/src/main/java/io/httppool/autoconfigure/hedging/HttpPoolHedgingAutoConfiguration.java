package io.httppool.autoconfigure.hedging;

import io.httppool.HttpPoolClients;
import io.httppool.autoconfigure.InvalidHttpPoolPropertyException;
import io.httppool.autoconfigure.resilience.HttpPoolResilienceAutoConfiguration;
import io.httppool.hedging.HttpPoolHedgingCustomizer;
import io.httppool.resilience.HttpPoolResilienceCustomizer;
import io.micrometer.core.instrument.MeterRegistry;
import org.HdrHistogram.Recorder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of hedged requests: every client with {@code hedging.enabled=true}
 * gets a {@code WebClient} filter that hedges its idempotent requests within the retry
 * budget of its resilience policy, and with Micrometer its {@code http.pool.hedges}
 * counters. Needs the resilience auto-configuration (Resilience4j) and HdrHistogram
 * (present with Micrometer), both present with the starter; without them a client with
 * {@code hedging.enabled=true} fails startup (the properties validator), and so it does
 * when the resilience auto-configuration is excluded or backed off: hedging never goes
 * silently missing.
 *
 * @author http-pool team
 * @since 0.1.0
 */
@AutoConfiguration(after = HttpPoolResilienceAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(value = Recorder.class, name = "io.github.resilience4j.retry.Retry")
public final class HttpPoolHedgingAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	HttpPoolHedgingCustomizer httpPoolHedgingCustomizer(ObjectProvider<HttpPoolResilienceCustomizer> resilience) {
		return new HttpPoolHedgingCustomizer((name) -> {
			HttpPoolResilienceCustomizer customizer = resilience.getIfAvailable();
			return (customizer != null) ? customizer.policy(name) : null;
		});
	}

	@Bean
	@ConditionalOnMissingBean(HttpPoolResilienceCustomizer.class)
	static SmartInitializingSingleton httpPoolHedgingNeedsResilience(ObjectProvider<HttpPoolClients> clients) {
		return () -> clients.ifAvailable((all) -> all.all().forEach((client) -> {
			if (client.settings().hedging().enabled()) {
				throw new InvalidHttpPoolPropertyException("http.pool.clients." + client.name() + ".hedging.enabled",
						true,
						"false unless HttpPoolResilienceAutoConfiguration is active (it is excluded or backed"
								+ " off here): hedges take their permits from the retry budget of the client's"
								+ " resilience policy");
			}
		}));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean({ MeterRegistry.class, HttpPoolClients.class })
	static class HedgingMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		HttpPoolHedgingMeterBinder httpPoolHedgingMeterBinder(HttpPoolClients clients,
				HttpPoolHedgingCustomizer hedging) {
			return new HttpPoolHedgingMeterBinder(clients, hedging);
		}

	}

}
