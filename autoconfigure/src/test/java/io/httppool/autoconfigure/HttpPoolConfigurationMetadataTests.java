package io.httppool.autoconfigure;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.assertj.core.api.InstanceOfAssertFactories;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built {@code META-INF/spring-configuration-metadata.json}, as IntelliJ IDEA and VS
 * Code's Spring Boot tools read it: {@code http.pool.clients.<name>.*} completes with the
 * keys of {@code http.pool.defaults.*}, which the processor cannot see by itself because
 * the client names are the user's.
 */
class HttpPoolConfigurationMetadataTests {

	private static final String CLIENT_TYPE = "io.httppool.autoconfigure.HttpPoolProperties$Client";

	private static Map<String, Object> metadata;

	@BeforeAll
	@SuppressWarnings("unchecked")
	static void readMetadata() throws Exception {
		try (InputStream in = HttpPoolConfigurationMetadataTests.class
			.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			metadata = JsonMapper.builder().build().readValue(in, Map.class);
		}
	}

	@Test
	void clientsIsAMapOfClientSettingsLikeTheDefaults() {
		assertThat(named("properties", "http.pool.clients")).containsEntry("type",
				"java.util.Map<java.lang.String," + CLIENT_TYPE + ">");
		assertThat(named("groups", "http.pool.defaults")).containsEntry("type", CLIENT_TYPE);
		assertThat(CLIENT_TYPE).isEqualTo(HttpPoolProperties.Client.class.getName());
	}

	@Test
	void clientValuesAreHandledAsClientSettings() {
		assertThat(named("hints", "http.pool.clients.values")).extracting("providers")
			.isEqualTo(List.of(Map.of("name", "handle-as", "parameters", Map.of("target", CLIENT_TYPE))));
	}

	@Test
	void clientNamesAreFreeWithAnExample() {
		Map<String, Object> keys = named("hints", "http.pool.clients.keys");
		assertThat(keys).extracting("providers").isEqualTo(List.of(Map.of("name", "any")));
		assertThat(keys).extracting("values").asInstanceOf(InstanceOfAssertFactories.LIST).isNotEmpty();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> named(String section, String name) {
		List<Map<String, Object>> items = (List<Map<String, Object>>) metadata.get(section);
		return items.stream()
			.filter((item) -> name.equals(item.get("name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + section + " entry named " + name));
	}

}
