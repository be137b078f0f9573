package io.httppool.autoconfigure;

import io.httppool.HttpPoolClientSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.boot.context.properties.bind.BindableRuntimeHintsRegistrar;

/**
 * Reflection the starter needs in a native image: {@link HttpPoolSettingsMapper} creates
 * {@link HttpPoolProperties.Client} instances and copies their properties (and those of
 * their nested groups) with a {@code BeanWrapper} when it layers a client over the
 * defaults; the {@code httppools} endpoint reads the components of
 * {@link HttpPoolClientSettings} and its nested records.
 *
 * @author http-pool team
 */
class HttpPoolRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		BindableRuntimeHintsRegistrar.forTypes(HttpPoolProperties.Client.class).registerHints(hints, classLoader);
		new BindingReflectionHintsRegistrar().registerReflectionHints(hints.reflection(), HttpPoolClientSettings.class);
	}

}
