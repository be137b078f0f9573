package io.httppool.sample;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.MultiValueMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of bad upload gets a 4xx with a JSON body {@code status}, {@code error},
 * {@code message}, never a stack trace, and the application keeps serving.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.upstream.real-time-factor=0", "sample.max-upload-size=2MB" })
@DirtiesContext
class BadInputTests {

	private static final int MB = 1024 * 1024;

	@LocalServerPort
	private int port;

	private WebTestClient client;

	@BeforeEach
	void client() {
		this.client = Uploads.client(this.port);
	}

	@Test
	void uploadWithoutFileGets400() {
		assertError(post(Uploads.upload(null, "en")), 400, "multipart field 'file' with a WAV file is required");
	}

	@Test
	void emptyFileGets400() {
		assertError(post(Uploads.wav(new byte[0])), 400, "file is empty");
	}

	@Test
	void fileThatIsNotWavGets415() {
		assertError(post(Uploads.wav("just text".getBytes(StandardCharsets.UTF_8))), 415, "file is not a WAV file");
		assertError(post(Uploads.wav(TestAudio.aiff(2))), 415, "file is AIFF audio, not a WAV file");
	}

	@Test
	void wavThatIsNotPcmGets415() {
		assertError(post(Uploads.wav(TestAudio.ulawWav(2))), 415,
				"WAV file must hold PCM audio (integer samples), but holds ULAW");
	}

	@Test
	void fileAboveMaxUploadSizeGets413() {
		assertError(post(Uploads.wav(new byte[3 * MB])), 413, "file is larger than sample.max-upload-size (2MB)");
	}

	@Test
	void fileAboveMaxUploadSizeSentWithoutContentLengthGets413() {
		MultipartBodyBuilder form = new MultipartBodyBuilder();
		Flux<DataBuffer> chunked = Flux.range(0, 48)
			.map((i) -> DefaultDataBufferFactory.sharedInstance.wrap(new byte[64 * 1024]));
		form.asyncPart("file", chunked, DataBuffer.class).filename("big.wav");
		assertError(post(form.build()), 413, "file is larger than sample.max-upload-size (2MB)");
	}

	@Test
	void languageThatIsNotAnIsoCodeGets400() {
		assertError(post(Uploads.upload(TestAudio.bursts(2), "english")), 400,
				"language must be an ISO-639-1 code such as 'en' or 'ru', but was 'english'");
		assertError(post(Uploads.upload(TestAudio.bursts(2), "zz")), 400,
				"language must be an ISO-639-1 code such as 'en' or 'ru', but was 'zz'");
	}

	@Test
	void bodyThatIsNotMultipartGets415() {
		WebTestClient.ResponseSpec response = this.client.post()
			.uri("/api/transcriptions")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"file\":\"x\"}")
			.exchange();
		assertError(response, 415, "send the upload as multipart/form-data, for example curl -F file=@audio.wav");
	}

	@Test
	void applicationKeepsServingAfterBadInput() {
		post(Uploads.wav(new byte[0]));
		post(Uploads.wav(new byte[3 * MB]));
		post(Uploads.wav(TestAudio.ulawWav(2)));
		post(Uploads.upload(TestAudio.bursts(2), "english"));
		post(Uploads.wav(TestAudio.bursts(20))).expectStatus().isOk();
	}

	private WebTestClient.ResponseSpec post(MultiValueMap<String, ?> upload) {
		return this.client.post().uri("/api/transcriptions").bodyValue(upload).exchange();
	}

	private static void assertError(WebTestClient.ResponseSpec response, int status, String message) {
		JsonNode body = response.expectStatus()
			.isEqualTo(status)
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(body.get("status").asInt()).isEqualTo(status);
		assertThat(body.get("error").asString()).isNotBlank();
		assertThat(body.get("message").asString()).isEqualTo(message);
		assertThat(body.propertyNames()).containsOnly("status", "error", "message");
	}

}
