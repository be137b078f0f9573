package io.httppool.autoconfigure.endpoint;

import io.httppool.endpoint.HttpPoolSanitizingFunction;

import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@link HttpPoolSanitizingFunction} that keeps the secrets of
 * {@code http.pool.*} out of the {@code env} and {@code configprops} endpoints. Present
 * with the actuator, whether or not the {@code httppools} endpoint is exposed; backs off
 * when a bean named {@code httpPoolSanitizingFunction} exists.
 *
 * @author http-pool team
 * @since 0.2.0
 */
@AutoConfiguration
@ConditionalOnClass(SanitizingFunction.class)
public final class HttpPoolSanitizingAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "httpPoolSanitizingFunction")
	HttpPoolSanitizingFunction httpPoolSanitizingFunction() {
		return new HttpPoolSanitizingFunction();
	}

}
