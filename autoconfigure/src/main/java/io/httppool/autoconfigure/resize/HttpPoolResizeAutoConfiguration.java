package io.httppool.autoconfigure.resize;

import io.httppool.HttpPoolClientFactory;
import io.httppool.HttpPoolClients;
import io.httppool.autoconfigure.HttpPoolAutoConfiguration;
import io.httppool.autoconfigure.HttpPoolResizer;
import io.httppool.autoconfigure.HttpPoolSettingsMapper;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of the {@link HttpPoolResizer} that resizes pools at runtime, used
 * by the {@code httppools} endpoint's write operation.
 *
 * @author http-pool team
 * @since 0.2.0
 */
@AutoConfiguration(after = HttpPoolAutoConfiguration.class)
@ConditionalOnBean({ HttpPoolClients.class, HttpPoolClientFactory.class, HttpPoolSettingsMapper.class })
public final class HttpPoolResizeAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	HttpPoolResizer httpPoolResizer(HttpPoolClients clients, HttpPoolClientFactory factory,
			HttpPoolSettingsMapper mapper, Environment environment) {
		return new HttpPoolResizer(clients, factory, mapper, environment);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.cloud.context.environment.EnvironmentChangeEvent")
	static class RefreshConfiguration {

		@Bean
		@ConditionalOnMissingBean
		HttpPoolRefreshListener httpPoolRefreshListener(HttpPoolClients clients, HttpPoolResizer resizer) {
			return new HttpPoolRefreshListener(clients, resizer);
		}

	}

}
