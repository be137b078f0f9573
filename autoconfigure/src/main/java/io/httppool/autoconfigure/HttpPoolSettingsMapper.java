package io.httppool.autoconfigure;

import java.beans.PropertyDescriptor;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.httppool.HttpPoolClientSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeanWrapper;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.context.properties.BoundConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.core.env.Environment;

/**
 * Turns {@code http.pool.*} into one validated {@link HttpPoolClientSettings} per client.
 * Reads the {@link HttpPoolProperties} bean as Spring Boot bound it, once: each client is
 * a fresh {@link HttpPoolProperties.Client} with the keys set under
 * {@code http.pool.defaults} applied, then the keys set under
 * {@code http.pool.clients.<name>} on top, so a key set for one client never leaks into
 * another and a key set nowhere keeps its literal default. A nested group takes its keys
 * one by one (a client's {@code http2.min-connections} keeps the defaults'
 * {@code http2.max-concurrent-streams}), a map takes the entries (a client's default
 * header adds to the defaults' headers), any other value is replaced. Which keys are set
 * is what Spring Boot recorded while binding ({@link BoundConfigurationProperties}), so
 * properties files, YAML and environment variables count alike.
 * <p>
 * Every value is checked once, here, by {@link HttpPoolPropertiesValidator}; a bad one
 * stops the application with an {@link InvalidHttpPoolPropertyException} that names the
 * full key.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public final class HttpPoolSettingsMapper {

	private static final String DEFAULTS = HttpPoolProperties.PREFIX + ".defaults";

	private static final String CLIENTS = HttpPoolProperties.PREFIX + ".clients";

	private static final Pattern CLIENT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

	private final HttpPoolProperties properties;

	private final Set<ConfigurationPropertyName> setKeys;

	private final HttpPoolPropertiesValidator validator;

	/**
	 * Create a mapper of the bound properties.
	 * @param properties the properties, as bound by Spring Boot
	 * @param bound what Spring Boot bound, to tell a key set to its default value from a
	 * key not set
	 * @param sslBundles the SSL bundles {@code ssl.bundle} may name, or {@code null}
	 */
	public HttpPoolSettingsMapper(HttpPoolProperties properties, BoundConfigurationProperties bound,
			@Nullable SslBundles sslBundles) {
		this.properties = properties;
		ConfigurationPropertyName root = ConfigurationPropertyName.of(HttpPoolProperties.PREFIX);
		this.setKeys = bound.getAll().keySet().stream().filter(root::isAncestorOf).collect(Collectors.toSet());
		this.validator = new HttpPoolPropertiesValidator(sslBundles);
	}

	/**
	 * Return the names of the configured clients, in configuration order. For the bean
	 * definitions, which are registered before any property is bound.
	 * @param environment the environment holding {@code http.pool.clients}
	 * @return the client names
	 */
	public static Set<String> clientNames(Environment environment) {
		Map<String, Object> clients = Binder.get(environment)
			.bind(CLIENTS, Bindable.mapOf(String.class, Object.class))
			.orElse(Map.of());
		for (String name : clients.keySet()) {
			if (!CLIENT_NAME.matcher(name).matches()) {
				throw new InvalidHttpPoolPropertyException(CLIENTS + "." + name, name,
						"a client name of letters, digits, '-' and '_'");
			}
		}
		return new LinkedHashSet<>(clients.keySet());
	}

	/**
	 * Map and validate every configured client.
	 * @return the settings, in configuration order
	 */
	public List<HttpPoolClientSettings> map() {
		this.validator.validate(DEFAULTS, this.properties.getDefaults());
		List<HttpPoolClientSettings> settings = new ArrayList<>();
		this.properties.getClients()
			.forEach((name, client) -> settings.add(toSettings(CLIENTS + "." + name, name, layered(name, client))));
		return settings;
	}

	/**
	 * Map and validate one client as {@link #map()} does, with some of its keys set to
	 * other values, for example to resize its pool at runtime.
	 * @param name the client name
	 * @param overrides values by key below {@code http.pool.clients.<name>}, for example
	 * {@code max-connections}; they win over the bound properties
	 * @return the settings
	 * @throws InvalidHttpPoolPropertyException for the first invalid value
	 * @since 0.2.0
	 */
	public HttpPoolClientSettings map(String name, Map<String, ?> overrides) {
		HttpPoolProperties.Client client = this.properties.getClients().get(name);
		HttpPoolProperties.Client layered = layered(name, (client != null) ? client : new HttpPoolProperties.Client());
		Map<String, Object> keys = new LinkedHashMap<>();
		overrides.forEach((key, value) -> keys.put(CLIENTS + "." + name + "." + key, value));
		new Binder(new MapConfigurationPropertySource(keys)).bind(CLIENTS + "." + name, Bindable.ofInstance(layered));
		return toSettings(CLIENTS + "." + name, name, layered);
	}

	private HttpPoolProperties.Client layered(String name, HttpPoolProperties.Client client) {
		HttpPoolProperties.Client layered = new HttpPoolProperties.Client();
		applySetKeys(this.properties.getDefaults(), layered, ConfigurationPropertyName.of(DEFAULTS));
		applySetKeys(client, layered, ConfigurationPropertyName.adapt(CLIENTS + "." + name, '.'));
		return layered;
	}

	/**
	 * Copy the properties of {@code source} that were set under {@code prefix} onto
	 * {@code target}: a read-only property is a nested group and is copied key by key, a
	 * map is merged, any other value replaces the target's.
	 */
	private void applySetKeys(Object source, Object target, ConfigurationPropertyName prefix) {
		BeanWrapper from = new BeanWrapperImpl(source);
		BeanWrapper to = new BeanWrapperImpl(target);
		for (PropertyDescriptor descriptor : from.getPropertyDescriptors()) {
			String property = descriptor.getName();
			ConfigurationPropertyName key = prefix.append(DataObjectPropertyName.toDashedForm(property));
			if (descriptor.getReadMethod() == null || "class".equals(property) || !isSet(key)) {
				continue;
			}
			Object value = from.getPropertyValue(property);
			Object current = to.getPropertyValue(property);
			if (!to.isWritableProperty(property) && value != null && current != null) {
				applySetKeys(value, current, key);
			}
			else if (value instanceof Map<?, ?> entries && current instanceof Map<?, ?> existing) {
				Map<Object, Object> merged = new LinkedHashMap<>(existing);
				merged.putAll(entries);
				to.setPropertyValue(property, merged);
			}
			else {
				to.setPropertyValue(property, value);
			}
		}
	}

	private boolean isSet(ConfigurationPropertyName key) {
		for (ConfigurationPropertyName set : this.setKeys) {
			if (key.equals(set) || key.isAncestorOf(set)) {
				return true;
			}
		}
		return false;
	}

	private HttpPoolClientSettings toSettings(String prefix, String name, HttpPoolProperties.Client client) {
		URI baseUrl = this.validator.validate(prefix, client);
		HttpPoolProperties.Http2 http2 = client.getHttp2();
		HttpPoolProperties.Retry retry = client.getRetry();
		HttpPoolProperties.CircuitBreaker breaker = client.getCircuitBreaker();
		return new HttpPoolClientSettings(name, baseUrl, client.getDefaultHeaders(), client.getProtocol(),
				new HttpPoolClientSettings.Pool(client.getMaxConnections(), client.getPendingAcquireMaxCount(),
						client.getPendingAcquireTimeout(), client.getMaxIdleTime(), client.getMaxLifeTime(),
						client.getEvictionInterval(), client.getLeasingStrategy()),
				new HttpPoolClientSettings.Http2(http2.getMaxConcurrentStreams(), http2.getMinConnections(),
						orNone(http2.getPingAckTimeout()), http2.getMaxResetsPerConnection()),
				new HttpPoolClientSettings.Timeouts(client.getConnectTimeout(), client.getResponseTimeout(),
						orNone(client.getReadTimeout()), orNone(client.getWriteTimeout())),
				new HttpPoolClientSettings.Ssl(client.getSsl().getBundle(), client.getSsl().isTrustAll(),
						client.getSsl().getProvider()),
				proxy(client.getProxy()), client.isCompression(), client.isFollowRedirects(), client.isWiretap(),
				new HttpPoolClientSettings.Health(client.getHealth().getDegradedThreshold(),
						client.getHealth().getUnhealthyThreshold()),
				new HttpPoolClientSettings.Retry(retry.isEnabled(), retry.getMaxAttempts(), retry.getInitialBackoff(),
						retry.getMultiplier(), retry.getMaxBackoff(), retry.getJitter(), retry.getOnStatuses(),
						retry.getBudget()),
				new HttpPoolClientSettings.CircuitBreaker(breaker.isEnabled(), breaker.getConsecutiveFailures(),
						breaker.getInitialOpenDuration(), breaker.getOpenDuration(), breaker.getHalfOpenCalls()),
				new HttpPoolClientSettings.Bulkhead(orNone(client.getBulkhead().getMaxConcurrentCalls())),
				orNone(client.getTimeout()), rateLimit(name, client.getRateLimit()),
				new HttpPoolClientSettings.Concurrency(client.getConcurrency().isAdaptive(),
						client.getConcurrency().getInitialLimit(), client.getConcurrency().getMaxLimit()),
				new HttpPoolClientSettings.Hedging(client.getHedging().isEnabled(), client.getHedging().getDelay()));
	}

	/**
	 * The one convention of special values: unset keeps the default, 0 switches the thing
	 * off, which the settings record says with {@code null}.
	 */
	private static @Nullable Duration orNone(@Nullable Duration value) {
		return (value != null && !value.isZero()) ? value : null;
	}

	private static @Nullable Integer orNone(@Nullable Integer value) {
		return (value != null && value != 0) ? value : null;
	}

	private static HttpPoolClientSettings.RateLimit rateLimit(String name, HttpPoolProperties.RateLimit rateLimit) {
		String key = (rateLimit.getKey() != null) ? rateLimit.getKey()
				: HttpPoolClientSettings.RateLimit.DEFAULT_KEY_PREFIX + name;
		return new HttpPoolClientSettings.RateLimit(rateLimit.isEnabled(), rateLimit.getRequestsPerPeriod(),
				rateLimit.getPeriod(), rateLimit.getMaxWait(), rateLimit.getMaxQueued(), rateLimit.getStore(),
				rateLimit.getReplicas(), rateLimit.getRedisFallback(), key);
	}

	private static HttpPoolClientSettings.@Nullable Proxy proxy(HttpPoolProperties.Proxy proxy) {
		if (proxy.getHost() == null || proxy.getPort() == null) {
			return null;
		}
		return new HttpPoolClientSettings.Proxy(proxy.getType(), proxy.getHost(), proxy.getPort(),
				proxy.getNonProxyHosts(), proxy.getUsername(), proxy.getPassword());
	}

}
