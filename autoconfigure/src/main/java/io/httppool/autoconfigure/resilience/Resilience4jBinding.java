package io.httppool.autoconfigure.resilience;

import io.github.resilience4j.core.ConfigurationNotFoundException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;

/**
 * Binds Resilience4j's {@code resilience4j.<kind>.*} keys for one instance, layer over
 * layer, onto an {@code InstanceProperties} that already holds the layer below: the same
 * properties classes and relaxed binding as Resilience4j's Spring Boot integration, so
 * every key it documents means what it documents.
 */
final class Resilience4jBinding {

	private static final String DEFAULT = "default";

	private final Binder binder;

	Resilience4jBinding(Binder binder) {
		this.binder = binder;
	}

	/**
	 * Bind, over {@code defaults}, the instance's base config
	 * ({@code <prefix>.configs.<base-config>}, or {@code <prefix>.configs.default} when
	 * the instance names none), then the instance's own keys
	 * ({@code <prefix>.instances.<name>}).
	 * @param prefix the kind's prefix, such as {@code resilience4j.retry}
	 * @param name the instance name
	 * @param defaults the bottom layer, bound onto and returned
	 * @return {@code defaults} with the layers bound over it
	 */
	<P> P layered(String prefix, String name, P defaults) {
		String base = this.binder.bind(instance(prefix, name) + ".base-config", String.class).orElse(null);
		if (base != null) {
			if (!this.binder.bind(config(prefix, base), Bindable.ofInstance(defaults)).isBound()) {
				// as Resilience4j does for a base-config it cannot find
				throw new ConfigurationNotFoundException(base);
			}
		}
		else {
			this.binder.bind(config(prefix, DEFAULT), Bindable.ofInstance(defaults));
		}
		this.binder.bind(instance(prefix, name), Bindable.ofInstance(defaults));
		return defaults;
	}

	/**
	 * Whether any key is set for the instance.
	 * @param prefix the kind's prefix
	 * @param name the instance name
	 * @return whether {@code <prefix>.instances.<name>} has keys
	 */
	boolean hasInstance(String prefix, String name) {
		return this.binder.bind(instance(prefix, name), java.util.Map.class).isBound();
	}

	private static String instance(String prefix, String name) {
		return prefix + ".instances[" + name + "]";
	}

	private static String config(String prefix, String name) {
		return prefix + ".configs[" + name + "]";
	}

}
