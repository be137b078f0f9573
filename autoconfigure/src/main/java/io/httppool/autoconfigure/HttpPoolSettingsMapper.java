package io.httppool.autoconfigure;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.httppool.HttpPoolClientSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.core.env.Environment;

/**
 * Turns {@code http.pool.*} into one validated {@link HttpPoolClientSettings} per client.
 * Each client starts from {@code http.pool.defaults} and the keys set under
 * {@code http.pool.clients.<name>} are bound on top, so a key set for one client never
 * leaks into another. Every value is checked once, here, by
 * {@link HttpPoolPropertiesValidator}; a bad one stops the application with an
 * {@link InvalidHttpPoolPropertyException} that names the full key.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public final class HttpPoolSettingsMapper {

	private static final String DEFAULTS = HttpPoolProperties.PREFIX + ".defaults";

	private static final String CLIENTS = HttpPoolProperties.PREFIX + ".clients";

	private static final Pattern CLIENT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

	private final Binder binder;

	private final HttpPoolPropertiesValidator validator;

	/**
	 * Create a mapper reading the given environment.
	 * @param environment the environment holding {@code http.pool.*}
	 * @param sslBundles the SSL bundles {@code ssl.bundle} may name, or {@code null}
	 */
	public HttpPoolSettingsMapper(Environment environment, @Nullable SslBundles sslBundles) {
		this.binder = Binder.get(environment);
		this.validator = new HttpPoolPropertiesValidator(sslBundles);
	}

	/**
	 * Return the names of the configured clients, in configuration order.
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
	 * @param names the client names, see {@link #clientNames(Environment)}
	 * @return the settings, in configuration order
	 */
	public List<HttpPoolClientSettings> map(Set<String> names) {
		this.validator.validate(DEFAULTS, bindDefaults());
		List<HttpPoolClientSettings> settings = new ArrayList<>();
		for (String name : names) {
			HttpPoolProperties.Client client = this.binder
				.bind(CLIENTS + "." + name, Bindable.ofInstance(bindDefaults()))
				.orElseGet(this::bindDefaults);
			settings.add(toSettings(CLIENTS + "." + name, name, client));
		}
		return settings;
	}

	private HttpPoolProperties.Client bindDefaults() {
		return this.binder.bind(DEFAULTS, Bindable.of(HttpPoolProperties.Client.class))
			.orElseGet(HttpPoolProperties.Client::new);
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
						http2.getPingAckTimeout().isZero() ? null : http2.getPingAckTimeout(),
						http2.getMaxResetsPerConnection()),
				new HttpPoolClientSettings.Timeouts(client.getConnectTimeout(), client.getResponseTimeout(),
						client.getReadTimeout(), client.getWriteTimeout()),
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
				new HttpPoolClientSettings.Bulkhead(client.getBulkhead().getMaxConcurrentCalls()),
				(client.getTimeout() != null && !client.getTimeout().isZero()) ? client.getTimeout() : null);
	}

	private static HttpPoolClientSettings.@Nullable Proxy proxy(HttpPoolProperties.Proxy proxy) {
		if (proxy.getHost() == null || proxy.getPort() == null) {
			return null;
		}
		return new HttpPoolClientSettings.Proxy(proxy.getType(), proxy.getHost(), proxy.getPort(),
				proxy.getNonProxyHosts(), proxy.getUsername(), proxy.getPassword());
	}

}
