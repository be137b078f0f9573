package io.httppool.autoconfigure;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code http.pool.*} property has IDE help in the generated metadata and a row in
 * the property tables of {@code docs/properties.md}, the one page that documents them
 * (the README links to it).
 */
class HttpPoolPropertiesDocumentationTests {

	@Test
	@SuppressWarnings("unchecked")
	void everyPropertyHasADescriptionAndAppearsInThePropertiesPage() throws Exception {
		Map<String, Object> metadata;
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			metadata = JsonMapper.builder().build().readValue(in, Map.class);
		}
		List<Map<String, Object>> properties = (List<Map<String, Object>>) metadata.get("properties");
		String page = Files.readString(Path.of("..", "docs", "properties.md"));
		// ours: http.pool.* and the health switch; Spring Boot adds the endpoint's cache
		// key
		properties = properties.stream()
			.filter((property) -> ((String) property.get("name")).startsWith("http.pool")
					|| ((String) property.get("name")).startsWith("management.health.httppools"))
			.toList();
		assertThat(properties).hasSizeGreaterThan(40).allSatisfy((property) -> {
			String name = (String) property.get("name");
			String description = (String) property.get("description");
			assertThat(description).as("description of %s", name).isNotBlank().doesNotStartWith("The ");
			if ("java.lang.Boolean".equals(property.get("type"))) {
				assertThat(description).as("description of %s", name).startsWith("Whether");
			}
			String key = name.startsWith("http.pool.defaults.") ? name.substring("http.pool.defaults.".length()) : name;
			if (!name.equals("http.pool.clients")) {
				assertThat(page).as("docs/properties.md row for %s", name).contains("`" + key);
			}
		});
	}

}
