package io.httppool.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import io.httppool.HttpPoolClient;
import io.httppool.HttpPoolClientFactory;
import io.httppool.HttpPoolClientSettings;
import io.httppool.HttpPoolClients;
import io.httppool.NoSuchHttpPoolClientException;
import reactor.core.publisher.Mono;

import org.springframework.boot.context.properties.bind.BindResult;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Resizes the pool of a client at runtime: the keys of {@link #KEYS} take new values,
 * checked by the same rules as at startup, and the client gets a new pool of that size
 * (see {@link HttpPoolClientFactory#resize(HttpPoolClient, HttpPoolClientSettings)}).
 * Values set here stay in force for later resizes of the same client, until the
 * environment changes the same key.
 *
 * @author http-pool team
 * @since 0.2.0
 */
public class HttpPoolResizer {

	/**
	 * Keys below {@code http.pool.clients.<name>} that can change at runtime; every other
	 * key is fixed at startup.
	 */
	public static final List<String> KEYS = List.of("max-connections", "pending-acquire-max-count",
			"http2.max-concurrent-streams");

	private static final Pattern WHOLE_NUMBER = Pattern.compile("-?[0-9]{1,10}");

	private final HttpPoolClients clients;

	private final HttpPoolClientFactory factory;

	private final HttpPoolSettingsMapper mapper;

	private final Environment environment;

	private final Map<String, Map<String, Object>> overrides = new ConcurrentHashMap<>();

	/**
	 * Create a resizer.
	 * @param clients the clients
	 * @param factory the factory that built them
	 * @param mapper the mapper that mapped their settings
	 * @param environment the environment a refresh changes, read by
	 * {@link #reload(String, Set)}
	 */
	public HttpPoolResizer(HttpPoolClients clients, HttpPoolClientFactory factory, HttpPoolSettingsMapper mapper,
			Environment environment) {
		this.clients = clients;
		this.factory = factory;
		this.mapper = mapper;
		this.environment = environment;
	}

	/**
	 * Give the named client a pool with the given sizes. Returns at once: calls from now
	 * on go to the new pool, the previous one drains in the background.
	 * @param name the client name
	 * @param values new values by key of {@link #KEYS}, whole numbers (or their text)
	 * @return the client's new settings
	 * @throws NoSuchHttpPoolClientException if no client has that name
	 * @throws InvalidHttpPoolPropertyException for an unknown key or an invalid value,
	 * naming its full key
	 */
	public synchronized HttpPoolClientSettings resize(String name, Map<String, ?> values) {
		HttpPoolClient client = this.clients.get(name);
		String prefix = HttpPoolProperties.PREFIX + ".clients." + name;
		if (values.isEmpty()) {
			throw new InvalidHttpPoolPropertyException(prefix, "{}", "given at least one of " + KEYS);
		}
		Map<String, Object> merged = new LinkedHashMap<>(this.overrides.getOrDefault(name, Map.of()));
		values.forEach((key, value) -> merged.put(key, wholeNumber(prefix, key, value)));
		HttpPoolClientSettings settings = apply(client, this.mapper.map(name, merged));
		this.overrides.put(name, merged);
		return settings;
	}

	/**
	 * Apply the environment's values of {@link #KEYS} to the named client, for example
	 * after a refresh changed them; values set through {@link #resize(String, Map)} for
	 * the changed keys are dropped. Does nothing when the sizes stay the same.
	 * @param name the client name
	 * @param changedKeys the keys below {@code http.pool.clients.<name>} that changed
	 * @return the client's settings
	 * @throws InvalidHttpPoolPropertyException for an invalid value
	 */
	public synchronized HttpPoolClientSettings reload(String name, Set<String> changedKeys) {
		HttpPoolClient client = this.clients.get(name);
		Map<String, Object> merged = new LinkedHashMap<>(this.overrides.getOrDefault(name, Map.of()));
		merged.keySet().removeAll(changedKeys);
		Map<String, Object> refreshed = new LinkedHashMap<>(merged);
		Binder binder = Binder.get(this.environment);
		for (String key : changedKeys) {
			// the client's own key wins over the defaults', as at startup
			BindResult<Integer> value = binder.bind(HttpPoolProperties.PREFIX + ".clients." + name + "." + key,
					Integer.class);
			if (!value.isBound()) {
				value = binder.bind(HttpPoolProperties.PREFIX + ".defaults." + key, Integer.class);
			}
			value.ifBound((bound) -> refreshed.put(key, bound));
		}
		HttpPoolClientSettings settings = apply(client, this.mapper.map(name, refreshed));
		this.overrides.put(name, merged);
		return settings;
	}

	private HttpPoolClientSettings apply(HttpPoolClient client, HttpPoolClientSettings mapped) {
		HttpPoolClientSettings current = client.settings();
		HttpPoolClientSettings next = current.withPoolSizes(mapped.pool().maxConnections(),
				mapped.pool().pendingAcquireMaxCount(), mapped.http2().maxConcurrentStreams());
		if (!next.equals(current)) {
			Mono<Void> drained = this.factory.resize(client, next);
			drained.subscribe();
		}
		return next;
	}

	/**
	 * The failure of a resize that names a key other than those of {@link #KEYS}.
	 * @param name the client name
	 * @param key the key below {@code http.pool.clients.<name>}
	 * @return the exception
	 */
	public static InvalidHttpPoolPropertyException notResizable(String name, String key) {
		return notResizableKey(HttpPoolProperties.PREFIX + ".clients." + name, key);
	}

	private static InvalidHttpPoolPropertyException notResizableKey(String prefix, String key) {
		// the value of a key that is not ours is not shown: it may be a secret
		return new InvalidHttpPoolPropertyException(prefix + "." + key, "(not shown)",
				"left out: the keys that can change at runtime are " + KEYS);
	}

	private static Object wholeNumber(String prefix, String key, Object value) {
		if (!KEYS.contains(key)) {
			throw notResizableKey(prefix, key);
		}
		if (value instanceof Integer) {
			return value;
		}
		String text = String.valueOf(value).trim();
		if (!WHOLE_NUMBER.matcher(text).matches()) {
			throw new InvalidHttpPoolPropertyException(prefix + "." + key, value, "a whole number");
		}
		long number = Long.parseLong(text);
		if (number > Integer.MAX_VALUE || number < Integer.MIN_VALUE) {
			throw new InvalidHttpPoolPropertyException(prefix + "." + key, value, "at most " + Integer.MAX_VALUE);
		}
		return (int) number;
	}

}
