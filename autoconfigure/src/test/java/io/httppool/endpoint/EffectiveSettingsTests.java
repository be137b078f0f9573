package io.httppool.endpoint;

import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.httppool.HttpPoolClientSettings;
import io.httppool.HttpPoolLeasingStrategy;
import io.httppool.HttpPoolProtocol;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class EffectiveSettingsTests {

	private static final String DEFAULTS = "http.pool.defaults.";

	@Test
	void everyPropertyOfAClientAppearsUnderItsOwnKeyAndNoOtherKeyDoes() throws Exception {
		Map<String, Object> view = EffectiveSettings.describe(everythingSet());
		Set<String> properties = new LinkedHashSet<>();
		Set<String> maps = new LinkedHashSet<>();
		for (Map<String, Object> property : metadataProperties()) {
			String name = (String) property.get("name");
			if (name.startsWith(DEFAULTS)) {
				String key = name.substring(DEFAULTS.length());
				properties.add(key);
				if (((String) property.get("type")).startsWith("java.util.Map")) {
					maps.add(key);
				}
			}
		}
		assertThat(keys("", view, maps)).containsExactlyInAnyOrderElementsOf(properties);
	}

	@Test
	void valuesReadLikePropertiesAndSecretsAreMasked() {
		Map<String, Object> view = EffectiveSettings.describe(everythingSet());
		assertThat(view).containsEntry("base-url", "https://svc:******@api.example.com/v1?api_key=******&lang=en")
			.containsEntry("default-headers", Map.of("Authorization", "******", "X-Tenant", "acme"))
			.containsEntry("protocol", "h2c")
			.containsEntry("max-connections", 7)
			.containsEntry("leasing-strategy", "fifo")
			.containsEntry("read-timeout", "1500ms")
			.containsEntry("timeout", "1m")
			.doesNotContainKey("name");
		assertThat(view.get("proxy")).isEqualTo(map("type", "socks5", "host", "proxy.local", "port", 1080,
				"non-proxy-hosts", "localhost", "username", "svc", "password", "******"));
		assertThat(view.get("retry")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
			.containsEntry("on-statuses", Set.of(429, 503))
			.containsEntry("initial-backoff", "200ms");
		assertThat(view.toString()).doesNotContain("s3cr3t", "url-pass", "q-secret", "pr0xy-pass");
	}

	@Test
	void unsetOptionalValuesAreLeftOut() {
		HttpPoolClientSettings all = everythingSet();
		HttpPoolClientSettings unset = new HttpPoolClientSettings("plain", null, Map.of(), HttpPoolProtocol.AUTO,
				all.pool(), new HttpPoolClientSettings.Http2(100, 1, null, 0),
				new HttpPoolClientSettings.Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(30), null, null),
				new HttpPoolClientSettings.Ssl(null, false), null, false, false, false, all.health(), all.retry(),
				all.circuitBreaker(), new HttpPoolClientSettings.Bulkhead(null), null, all.rateLimit(),
				all.concurrency(), new HttpPoolClientSettings.Hedging(false, null));
		Map<String, Object> view = EffectiveSettings.describe(unset);
		assertThat(view).doesNotContainKeys("base-url", "read-timeout", "write-timeout", "proxy", "timeout")
			.containsEntry("default-headers", Map.of())
			.containsEntry("bulkhead", Map.of())
			.containsEntry("ssl", Map.of("trust-all", false, "provider", "auto"));
		assertThat(view.get("http2")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
			.doesNotContainKey("ping-ack-timeout");
	}

	@Test
	void durationsReadLikeProperties() {
		assertThat(EffectiveSettings.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
		assertThat(EffectiveSettings.format(Duration.ofSeconds(90))).isEqualTo("90s");
		assertThat(EffectiveSettings.format(Duration.ofMinutes(5))).isEqualTo("5m");
		assertThat(EffectiveSettings.format(Duration.ofHours(2))).isEqualTo("2h");
		assertThat(EffectiveSettings.format(Duration.ofDays(3))).isEqualTo("3d");
		assertThat(EffectiveSettings.format(Duration.ZERO)).isEqualTo("0s");
		assertThat(EffectiveSettings.format(Duration.ofNanos(1500))).isEqualTo("1500ns");
		assertThat(EffectiveSettings.format(Duration.ofSeconds(Long.MAX_VALUE))).isEqualTo("PT2562047788015215H30M7S");
		assertThat(EffectiveSettings.format(null)).isNull();
	}

	/**
	 * A client with every optional value set, so that every key has a value to show.
	 */
	private static HttpPoolClientSettings everythingSet() {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("Authorization", "Bearer s3cr3t");
		headers.put("X-Tenant", "acme");
		return new HttpPoolClientSettings("stt",
				URI.create("https://svc:url-pass@api.example.com/v1?api_key=q-secret&lang=en"), headers,
				HttpPoolProtocol.H2C,
				new HttpPoolClientSettings.Pool(7, 100, Duration.ofSeconds(5), Duration.ofSeconds(30),
						Duration.ofMinutes(5), Duration.ofSeconds(10), HttpPoolLeasingStrategy.FIFO),
				new HttpPoolClientSettings.Http2(100, 1, Duration.ofSeconds(5), 100),
				new HttpPoolClientSettings.Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(30),
						Duration.ofMillis(1500), Duration.ofSeconds(2)),
				new HttpPoolClientSettings.Ssl("internal", false),
				new HttpPoolClientSettings.Proxy(HttpPoolClientSettings.ProxyType.SOCKS5, "proxy.local", 1080,
						"localhost", "svc", "pr0xy-pass"),
				true, true, true, new HttpPoolClientSettings.Health(0.7, 0.9),
				new HttpPoolClientSettings.Retry(true, 3, Duration.ofMillis(200), 2.0, Duration.ofSeconds(10), 0.5,
						Set.of(503, 429), 0.2),
				new HttpPoolClientSettings.CircuitBreaker(true, 5, Duration.ofSeconds(2), Duration.ofMinutes(1), 3),
				new HttpPoolClientSettings.Bulkhead(20), Duration.ofMinutes(1),
				new HttpPoolClientSettings.RateLimit(true, 100, Duration.ofSeconds(1), Duration.ofSeconds(5), 1000,
						HttpPoolClientSettings.RateLimitStore.LOCAL, 1,
						HttpPoolClientSettings.RedisFallback.PER_REPLICA, "http-pool:rate-limit:stt"),
				new HttpPoolClientSettings.Concurrency(true, 20, 1000),
				new HttpPoolClientSettings.Hedging(true, Duration.ofMillis(50)));
	}

	/**
	 * The property keys of a view: nested groups joined with dots, a map-valued property
	 * as one key.
	 */
	private static Set<String> keys(String prefix, Map<String, Object> view, Set<String> maps) {
		Set<String> keys = new LinkedHashSet<>();
		view.forEach((key, value) -> {
			String name = prefix + key;
			if (value instanceof Map<?, ?> group && !maps.contains(name)) {
				@SuppressWarnings("unchecked")
				Map<String, Object> nested = (Map<String, Object>) group;
				keys.addAll(keys(name + ".", nested, maps));
			}
			else {
				keys.add(name);
			}
		});
		return keys;
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> metadataProperties() throws Exception {
		try (InputStream in = EffectiveSettingsTests.class
			.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			Map<String, Object> metadata = JsonMapper.builder().build().readValue(in, Map.class);
			return (List<Map<String, Object>>) metadata.get("properties");
		}
	}

	private static Map<String, Object> map(Object... entries) {
		Map<String, Object> map = new LinkedHashMap<>();
		for (int i = 0; i < entries.length; i += 2) {
			map.put((String) entries[i], entries[i + 1]);
		}
		return map;
	}

}
