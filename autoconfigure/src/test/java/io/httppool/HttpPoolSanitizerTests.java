package io.httppool;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link HttpPoolSanitizer} masks, and what it leaves readable.
 */
class HttpPoolSanitizerTests {

	@Test
	void urlWithoutSecretsIsShownAsIs() {
		assertThat(HttpPoolSanitizer.sanitize("https://stt.example.com:8443/v1?lang=en#top"))
			.isEqualTo("https://stt.example.com:8443/v1?lang=en#top");
		assertThat(HttpPoolSanitizer.sanitize("http://svc@stt.example.com/a@b"))
			.isEqualTo("http://svc@stt.example.com/a@b");
	}

	@Test
	void urlPasswordAndSecretQueryValuesAreMasked() {
		assertThat(HttpPoolSanitizer.sanitize("https://svc:pa%24s@stt.example.com/v1?token=t0k&lang=en&key"))
			.isEqualTo("https://svc:******@stt.example.com/v1?token=******&lang=en&key");
		assertThat(HttpPoolSanitizer.sanitize("http://svc@[::1]:8080?Api-Key=k&x=1"))
			.isEqualTo("http://svc@[::1]:8080?Api-Key=******&x=1");
		assertThat(HttpPoolSanitizer.sanitize("https://blob.example.com/c?sv=2024&sig=abc%2Bdef&se=1"))
			.isEqualTo("https://blob.example.com/c?sv=2024&sig=******&se=1");
	}

	@Test
	void urlsInsideMessagesAreMasked() {
		assertThat(HttpPoolSanitizer
			.sanitize("I/O error on GET request for \"http://svc:pw@svc.internal/x?api_key=k1\": Connection refused"))
			.isEqualTo("I/O error on GET request for \"http://svc:******@svc.internal/x?api_key=******\": "
					+ "Connection refused");
		assertThat(HttpPoolSanitizer.sanitize("ht!tp://svc:pw@host")).isEqualTo("ht!tp://svc:******@host");
	}

	@Test
	void headersNamedLikeSecretsAreMaskedWhateverTheirCase() {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("Authorization", "Bearer t");
		headers.put("x-api-key", "k");
		headers.put("Cookie", "c");
		headers.put("Accept", "application/json");
		assertThat(HttpPoolSanitizer.sanitizeHeaders(headers)).containsExactly(Map.entry("Authorization", "******"),
				Map.entry("x-api-key", "******"), Map.entry("Cookie", "******"),
				Map.entry("Accept", "application/json"));
	}

	@Test
	void httpPoolPropertiesAreMaskedInEveryKeyForm() {
		assertThat(HttpPoolSanitizer.sanitizeProperty("http.pool.clients.stt.proxy.password", "p")).isEqualTo("******");
		assertThat(HttpPoolSanitizer.sanitizeProperty("http.pool.clients.stt.default-headers.X-Api-Key", "k"))
			.isEqualTo("******");
		assertThat(HttpPoolSanitizer.sanitizeProperty("http.pool.clients.stt.defaultHeaders[Authorization]", "a"))
			.isEqualTo("******");
		assertThat(HttpPoolSanitizer.sanitizeProperty("HTTP_POOL_CLIENTS_STT_PROXY_PASSWORD", "p")).isEqualTo("******");
		assertThat(HttpPoolSanitizer.sanitizeProperty("http.pool.clients.stt.base-url",
				"https://svc:pw@stt.example.com/?api_key=k"))
			.isEqualTo("https://svc:******@stt.example.com/?api_key=******");
		assertThat(HttpPoolSanitizer.sanitizeProperty("http.pool.clients.stt.default-headers.Accept", "text/plain"))
			.isEqualTo("text/plain");
		assertThat(HttpPoolSanitizer.sanitizeProperty("http.pool.clients.tokens.max-connections", 5)).isEqualTo(5);
		assertThat(HttpPoolSanitizer.sanitizeProperty("http.pool.clients.stt.proxy.username", "svc")).isEqualTo("svc");
	}

	@Test
	void otherPropertiesAreNotTheStartersConcern() {
		assertThat(HttpPoolSanitizer.sanitizeProperty("spring.datasource.password", "p")).isEqualTo("p");
		assertThat(HttpPoolSanitizer.sanitizeProperty("app.url", "https://svc:pw@host"))
			.isEqualTo("https://svc:pw@host");
	}

}
