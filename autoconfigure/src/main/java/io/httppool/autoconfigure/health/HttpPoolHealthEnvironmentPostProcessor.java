package io.httppool.autoconfigure.health;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * Makes {@code DEGRADED} a first-class health status without configuration: adds
 * {@value #STATUS_ORDER}{@code =}{@value #DEFAULT_STATUS_ORDER} as a property source of
 * the lowest precedence, so every source of the application (properties files,
 * environment, command line) still wins. Spring Boot ignores statuses missing from that
 * order when it aggregates, and answers statuses missing from
 * {@code management.endpoint.health.status.http-mapping} with HTTP 200, so
 * {@code DEGRADED} needs no HTTP mapping.
 *
 * @author http-pool team
 */
class HttpPoolHealthEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/**
	 * Name of the property source holding the defaults.
	 */
	static final String PROPERTY_SOURCE_NAME = "httpPoolHealthDefaults";

	/**
	 * Spring Boot's property for the order of health statuses, most severe first.
	 */
	static final String STATUS_ORDER = "management.endpoint.health.status.order";

	/**
	 * Spring Boot's default order with {@code DEGRADED} between {@code OUT_OF_SERVICE}
	 * and {@code UP}.
	 */
	static final String DEFAULT_STATUS_ORDER = "DOWN,OUT_OF_SERVICE,DEGRADED,UP,UNKNOWN";

	private static final String HEALTH_STATUS_CLASS = "org.springframework.boot.health.contributor.Status";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!ClassUtils.isPresent(HEALTH_STATUS_CLASS, application.getClassLoader())
				|| environment.getPropertySources().contains(PROPERTY_SOURCE_NAME)) {
			return;
		}
		environment.getPropertySources()
			.addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, Map.of(STATUS_ORDER, DEFAULT_STATUS_ORDER)));
	}

	@Override
	public int getOrder() {
		// after config data, so that application.properties is in place before us
		return ConfigDataEnvironmentPostProcessor.ORDER + 1;
	}

}
