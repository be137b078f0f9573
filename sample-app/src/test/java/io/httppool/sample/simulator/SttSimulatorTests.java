package io.httppool.sample.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.httppool.sample.TestAudio;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulator on its own, over real HTTP/2 (h2c): the OpenAI request and response
 * contract, the transcript derived from the audio, the faults and the counters.
 */
class SttSimulatorTests {

	private final List<SttSimulator> simulators = new ArrayList<>();

	@AfterEach
	void closeSimulators() {
		this.simulators.forEach(SttSimulator::close);
	}

	@Test
	void verboseJsonHasOneSegmentPerBurstAndSaysItIsSimulated() {
		WebClient client = clientFor(start(0, 0, null));
		JsonNode body = json(post(client, "Bearer any", form(TestAudio.bursts(15), "whisper-1", "en", "verbose_json")));
		assertThat(body.get("model").asString()).isEqualTo("simulated");
		assertThat(body.get("task").asString()).isEqualTo("transcribe");
		assertThat(body.get("language").asString()).isEqualTo("english");
		assertThat(body.get("duration").asDouble()).isEqualTo(15.0);
		assertThat(body.get("usage").get("seconds").asInt()).isEqualTo(15);
		JsonNode segments = body.get("segments");
		assertThat(segments).hasSize(5);
		for (int burst = 0; burst < 5; burst++) {
			JsonNode segment = segments.get(burst);
			assertThat(segment.get("id").asInt()).isEqualTo(burst);
			assertThat(segment.get("start").asDouble()).isEqualTo(TestAudio.start(burst));
			assertThat(segment.get("end").asDouble()).isEqualTo(TestAudio.start(burst) + TestAudio.BURST_SECONDS);
			assertThat(segment.get("text").asString()).startsWith(" [simulated] 2.0 seconds of loud sound at -9 dBFS")
				.endsWith("around " + TestAudio.pitch(burst) + " Hz.");
		}
		assertThat(body.get("text").asString()).startsWith("[simulated] 2.0 seconds");
	}

	@Test
	void jsonAndTextCarryTheSameDeterministicText() {
		WebClient client = clientFor(start(0, 0, null));
		byte[] audio = TestAudio.sample();
		JsonNode json = json(post(client, "Bearer any", form(audio, "whisper-1", null, "json")));
		JsonNode again = json(post(client, "Bearer any", form(audio, "whisper-1", null, null)));
		ResponseEntity<String> text = post(client, "Bearer any", form(audio, "whisper-1", null, "text"));
		assertThat(json.get("text").asString()).contains("[simulated]").isEqualTo(again.get("text").asString());
		assertThat(json.get("model").asString()).isEqualTo("simulated");
		assertThat(text.getHeaders().getContentType().toString()).startsWith("text/plain");
		assertThat(text.getBody()).isEqualTo(json.get("text").asString());
	}

	@Test
	void invalidRequestsGetOpenAiErrorJson() {
		WebClient client = clientFor(start(0, 0, "test-key"));
		byte[] audio = TestAudio.bursts(3);
		assertError(post(client, null, form(audio, "whisper-1", null, null)), 401, "invalid_request_error", null);
		assertError(post(client, "Bearer wrong", form(audio, "whisper-1", null, null)), 401, "invalid_request_error",
				null);
		assertError(post(client, "Bearer test-key", form(null, "whisper-1", null, null)), 400, "invalid_request_error",
				"file");
		assertError(post(client, "Bearer test-key", form(audio, null, null, null)), 400, "invalid_request_error",
				"model");
		assertError(post(client, "Bearer test-key", form(audio, "whisper-1", "english", null)), 400,
				"invalid_request_error", "language");
		assertError(post(client, "Bearer test-key", form(audio, "whisper-1", null, "srt")), 400,
				"invalid_request_error", "response_format");
		assertError(post(client, "Bearer test-key", form("not audio".getBytes(), "whisper-1", null, null)), 400,
				"invalid_request_error", "file");
		ResponseEntity<String> garbage = client.post()
			.uri("/v1/audio/transcriptions")
			.header("Authorization", "Bearer test-key")
			.header("Content-Type", "multipart/form-data; boundary=abc")
			.bodyValue("--abc\r\nnot a part")
			.exchangeToMono((response) -> response.toEntity(String.class))
			.block(Duration.ofSeconds(10));
		assertError(garbage, 400, "invalid_request_error", "file");
		assertThat(post(client, "Bearer test-key", form(audio, "whisper-1", null, null)).getStatusCode().value())
			.isEqualTo(200);
	}

	@Test
	void faultsAreSpreadEvenlyAndThrottlingSaysWhenToRetry() {
		WebClient client = clientFor(start(0.25, 0.25, null));
		byte[] audio = TestAudio.bursts(1);
		List<Integer> statuses = new ArrayList<>();
		ResponseEntity<String> throttled = null;
		for (int i = 0; i < 8; i++) {
			ResponseEntity<String> response = post(client, "Bearer any", form(audio, "whisper-1", null, null));
			statuses.add(response.getStatusCode().value());
			if (response.getStatusCode().value() == 429) {
				throttled = response;
			}
		}
		assertThat(statuses).containsExactly(200, 429, 200, 503, 200, 429, 200, 503);
		assertThat(throttled.getHeaders().getFirst("Retry-After")).isEqualTo("1");
		assertThat(throttled.getHeaders().getFirst("retry-after-ms")).isEqualTo("1000");
		assertThat(json(throttled).get("error").get("code").asString()).isEqualTo("rate_limit_exceeded");
	}

	@Test
	void statsCountConnectionsAndProtocols() {
		SttSimulator simulator = start(0, 0, null);
		WebClient client = clientFor(simulator);
		for (int i = 0; i < 3; i++) {
			post(client, "Bearer any", form(TestAudio.bursts(1), "whisper-1", null, null));
		}
		JsonNode stats = json(client.get().uri("/simulator/stats").retrieve().toEntity(String.class).block());
		assertThat(stats.get("connectionsAccepted").asInt()).isEqualTo(1);
		assertThat(stats.get("requestsByProtocol").get("HTTP/2.0").asInt()).isEqualTo(3);
		assertThat(stats.get("responsesByStatus").get("200").asInt()).isEqualTo(3);
		assertThat(simulator.stats().requests()).isEqualTo(3);
	}

	private SttSimulator start(double errorRate, double throttleRate, @Nullable String apiKey) {
		SttSimulator simulator = SttSimulator
			.start(new SttSimulator.Settings(0, errorRate, throttleRate, Duration.ofSeconds(1), apiKey));
		this.simulators.add(simulator);
		return simulator;
	}

	private static WebClient clientFor(SttSimulator simulator) {
		HttpClient h2c = HttpClient.create().protocol(HttpProtocol.H2C).responseTimeout(Duration.ofSeconds(10));
		return WebClient.builder()
			.baseUrl(simulator.baseUrl())
			.clientConnector(new ReactorClientHttpConnector(h2c))
			.build();
	}

	private static MultipartBodyBuilder form(byte @Nullable [] file, @Nullable String model, @Nullable String language,
			@Nullable String format) {
		MultipartBodyBuilder form = new MultipartBodyBuilder();
		if (file != null) {
			form.part("file", new ByteArrayResource(file)).filename("audio.wav");
		}
		if (model != null) {
			form.part("model", model);
		}
		if (language != null) {
			form.part("language", language);
		}
		if (format != null) {
			form.part("response_format", format);
		}
		return form;
	}

	private static ResponseEntity<String> post(WebClient client, @Nullable String authorization,
			MultipartBodyBuilder form) {
		return client.post().uri("/v1/audio/transcriptions").headers((headers) -> {
			if (authorization != null) {
				headers.set("Authorization", authorization);
			}
		})
			.bodyValue(form.build())
			.exchangeToMono((response) -> response.toEntity(String.class))
			.block(Duration.ofSeconds(10));
	}

	private static JsonNode json(ResponseEntity<String> response) {
		return JsonMapper.shared().readTree(response.getBody());
	}

	private static void assertError(ResponseEntity<String> response, int status, String type, @Nullable String param) {
		assertThat(response.getStatusCode().value()).isEqualTo(status);
		JsonNode error = json(response).get("error");
		assertThat(error.get("message").asString()).isNotBlank();
		assertThat(error.get("type").asString()).isEqualTo(type);
		assertThat(error.get("param").isNull() ? null : error.get("param").asString()).isEqualTo(param);
	}

}
