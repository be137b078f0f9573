package io.httppool.autoconfigure.resize;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import io.httppool.HttpPoolClients;
import io.httppool.autoconfigure.HttpPoolResizer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ApplicationListener;

/**
 * Resizes pools when a Spring Cloud refresh changes one of their
 * {@link HttpPoolResizer#KEYS} under {@code http.pool.clients.<name>} or
 * {@code http.pool.defaults}. A value the startup rules reject is logged with its key and
 * the pool keeps its size: a refresh has no caller to answer.
 *
 * @author http-pool team
 * @since 0.2.0
 */
public class HttpPoolRefreshListener implements ApplicationListener<EnvironmentChangeEvent> {

	private static final Log logger = LogFactory.getLog(HttpPoolRefreshListener.class);

	private static final String CLIENTS = "http.pool.clients.";

	private static final String DEFAULTS = "http.pool.defaults.";

	private final HttpPoolClients clients;

	private final HttpPoolResizer resizer;

	/**
	 * Create a listener.
	 * @param clients the clients
	 * @param resizer the resizer
	 */
	public HttpPoolRefreshListener(HttpPoolClients clients, HttpPoolResizer resizer) {
		this.clients = clients;
		this.resizer = resizer;
	}

	@Override
	public void onApplicationEvent(EnvironmentChangeEvent event) {
		changedKeys(event.getKeys()).forEach((name, keys) -> {
			try {
				this.resizer.reload(name, keys);
			}
			catch (IllegalStateException ex) {
				logger.warn("HTTP pool client '" + name + "' keeps its pool size after a refresh: " + ex.getMessage());
			}
		});
	}

	// by Boot's canonical form: maxConnections, max-connections and MAX_CONNECTIONS alike
	private Map<String, Set<String>> changedKeys(Set<String> keys) {
		Map<String, Set<String>> changed = new LinkedHashMap<>();
		for (String key : keys) {
			ConfigurationPropertyName changedName = ConfigurationPropertyName.adapt(key, '.');
			for (String resizable : HttpPoolResizer.KEYS) {
				boolean inDefaults = ConfigurationPropertyName.of(DEFAULTS + resizable).equals(changedName);
				for (String name : this.clients.names()) {
					if (inDefaults || ConfigurationPropertyName.adapt(CLIENTS + name + "." + resizable, '.')
						.equals(changedName)) {
						changed.computeIfAbsent(name, (n) -> new LinkedHashSet<>()).add(resizable);
					}
				}
			}
		}
		return changed;
	}

}
