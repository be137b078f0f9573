package io.httppool.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.boot.context.properties.bind.BindableRuntimeHintsRegistrar;

/**
 * Reflection the starter needs in a native image: {@link HttpPoolSettingsMapper} binds
 * {@link HttpPoolProperties.Client} (and its nested groups) by itself, once for
 * {@code http.pool.defaults} and once per client, outside the
 * {@code @ConfigurationProperties} bean whose hints Spring Boot registers.
 *
 * @author http-pool team
 */
class HttpPoolRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		BindableRuntimeHintsRegistrar.forTypes(HttpPoolProperties.Client.class).registerHints(hints, classLoader);
	}

}
