package io.httppool.autoconfigure.ratelimit;

import java.time.Duration;

import io.lettuce.core.RedisURI;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The part of Spring Boot's {@code spring.data.redis.*} connection properties that the
 * Redis bucket uses: {@code url} (which wins, as in Boot), or {@code host}, {@code port},
 * {@code database}, {@code username}, {@code password} and {@code ssl.enabled}; with
 * {@code timeout} and {@code connect-timeout}. Bound here rather than through Boot's
 * {@code DataRedisProperties} so that {@code rate-limit.store=redis} needs neither Spring
 * Data Redis nor Boot's Redis auto-configuration (its connection factory and its health
 * indicator, which would turn the application DOWN while the fallback still serves). The
 * password only ever reaches Lettuce; {@link #toString()} does not show it.
 *
 * @author http-pool team
 */
public class RedisConnectionProperties {

	static final String PREFIX = "spring.data.redis";

	private @Nullable String url;

	private String host = "localhost";

	private int port = 6379;

	private int database;

	private @Nullable String username;

	private @Nullable String password;

	private final Ssl ssl = new Ssl();

	private @Nullable Duration timeout;

	private @Nullable Duration connectTimeout;

	static RedisConnectionProperties bind(Environment environment) {
		return Binder.get(environment)
			.bind(PREFIX, Bindable.of(RedisConnectionProperties.class))
			.orElseGet(RedisConnectionProperties::new);
	}

	RedisURI toRedisUri() {
		RedisURI uri;
		if (this.url != null) {
			uri = RedisURI.create(this.url);
		}
		else {
			RedisURI.Builder builder = RedisURI.builder()
				.withHost(this.host)
				.withPort(this.port)
				.withDatabase(this.database)
				.withSsl(this.ssl.isEnabled());
			if (this.password != null) {
				builder.withAuthentication(this.username, this.password.toCharArray());
			}
			uri = builder.build();
		}
		if (this.timeout != null) {
			uri.setTimeout(this.timeout);
		}
		return uri;
	}

	Duration connectTimeoutOrDefault() {
		return (this.connectTimeout != null) ? this.connectTimeout : Duration.ofSeconds(2);
	}

	public @Nullable String getUrl() {
		return this.url;
	}

	public void setUrl(@Nullable String url) {
		this.url = url;
	}

	public String getHost() {
		return this.host;
	}

	public void setHost(String host) {
		this.host = host;
	}

	public int getPort() {
		return this.port;
	}

	public void setPort(int port) {
		this.port = port;
	}

	public int getDatabase() {
		return this.database;
	}

	public void setDatabase(int database) {
		this.database = database;
	}

	public @Nullable String getUsername() {
		return this.username;
	}

	public void setUsername(@Nullable String username) {
		this.username = username;
	}

	public @Nullable String getPassword() {
		return this.password;
	}

	public void setPassword(@Nullable String password) {
		this.password = password;
	}

	public Ssl getSsl() {
		return this.ssl;
	}

	public @Nullable Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(@Nullable Duration timeout) {
		this.timeout = timeout;
	}

	public @Nullable Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(@Nullable Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	@Override
	public String toString() {
		return "RedisConnectionProperties[" + ((this.url != null) ? "url=(set)" : this.host + ":" + this.port) + "]";
	}

	/**
	 * TLS switch.
	 */
	public static class Ssl {

		private boolean enabled;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

}
