package io.httppool.autoconfigure.health;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * Makes {@code DEGRADED} a first-class health status when the application has no status
 * order of its own: then, and only then, adds
 * {@value #STATUS_ORDER}{@code =}{@value #DEFAULT_STATUS_ORDER} (Spring Boot's default
 * order with {@code DEGRADED} inserted, so every other status aggregates as it would
 * without the starter) as a property source of the lowest precedence, named
 * {@value #PROPERTY_SOURCE_NAME} so that {@code /actuator/env} shows where it comes from.
 * An order the application sets anywhere, its {@code SpringApplication} default
 * properties included (which Spring Boot moves behind every other source), wins. Spring
 * Boot ignores statuses missing from that order when it aggregates, and answers statuses
 * missing from {@code management.endpoint.health.status.http-mapping} with HTTP 200, so
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
				|| environment.getPropertySources().contains(PROPERTY_SOURCE_NAME) || hasOwnOrder(environment)) {
			return;
		}
		environment.getPropertySources()
			.addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, Map.of(STATUS_ORDER, DEFAULT_STATUS_ORDER)));
	}

	private static boolean hasOwnOrder(ConfigurableEnvironment environment) {
		// bound rather than looked up, so that an indexed list (order[0]=...) counts too
		return Binder.get(environment).bind(STATUS_ORDER, Bindable.listOf(String.class)).isBound();
	}

	@Override
	public int getOrder() {
		// after config data, so that application.properties is in place before us
		return ConfigDataEnvironmentPostProcessor.ORDER + 1;
	}

}
