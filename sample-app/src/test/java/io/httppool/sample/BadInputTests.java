package io.httppool.sample;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ByteArrayResource;
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
@ExtendWith(OutputCaptureExtension.class)
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
	void multipartWithoutBoundaryGets400AndAtMostAOneLineWarning(CapturedOutput output) {
		WebTestClient.ResponseSpec response = this.client.post()
			.uri("/api/transcriptions")
			.header("Content-Type", "multipart/form-data")
			.bodyValue("--abc\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nx\r\n--abc--\r\n")
			.exchange();
		assertError(response, 400, "the multipart body could not be parsed: its Content-Type has no boundary");
		assertQuietLog(output);
	}

	@Test
	void garbageAfterTheMultipartHeaderGets400AndAtMostAOneLineWarning(CapturedOutput output) {
		WebTestClient.ResponseSpec response = this.client.post()
			.uri("/api/transcriptions")
			.header("Content-Type", "multipart/form-data; boundary=abc")
			.bodyValue("--abc\r\nnot a part header at all")
			.exchange();
		assertError(response, 400, "the multipart body could not be parsed");
		assertQuietLog(output);
	}

	@Test
	void longLanguageIsNotEchoedWhole() {
		String language = "x".repeat(10_000);
		JsonNode body = error(post(Uploads.upload(TestAudio.bursts(2), language)), 400);
		assertThat(body.get("message").asString())
			.isEqualTo("language must be an ISO-639-1 code such as 'en' or 'ru', but was '" + "x".repeat(32)
					+ "...' (10000 characters)");
	}

	@Test
	void modelThatIsTooLongOrHoldsLineBreaksGets400() {
		JsonNode tooLong = error(post(upload(TestAudio.bursts(2), "model", "m".repeat(100_000))), 400);
		assertThat(tooLong.get("message").asString())
			.isEqualTo("model must be at most 100 printable characters, but was '" + "m".repeat(32)
					+ "...' (100000 characters)");
		JsonNode lineBreak = error(post(upload(TestAudio.bursts(2), "model", "whisper-1\r\nX-Injected: yes")), 400);
		assertThat(lineBreak.get("message").asString())
			.isEqualTo("model must be at most 100 printable characters, but was 'whisper-1\\r\\nX-Injected: yes'");
	}

	@Test
	void wavWithSampleRateZeroGets415ForItsHeader() {
		assertError(post(Uploads.wav(TestAudio.withSampleRateZero(TestAudio.bursts(2)))), 415,
				"WAV header is invalid: 0 Hz, 1 channel(s), 16 bits per sample; sample rate, channels and sample "
						+ "size must be positive");
	}

	@Test
	void twoFilePartsGet400() {
		MultipartBodyBuilder form = new MultipartBodyBuilder();
		form.part("file", new ByteArrayResource(TestAudio.bursts(2))).filename("one.wav");
		form.part("file", new ByteArrayResource(TestAudio.bursts(2))).filename("two.wav");
		assertError(post(form.build()), 400, "send one multipart field 'file', not 2");
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

	private static MultiValueMap<String, ?> upload(byte[] wav, String field, String value) {
		MultipartBodyBuilder form = new MultipartBodyBuilder();
		form.part("file", new ByteArrayResource(wav)).filename("upload.wav");
		form.part(field, value);
		return form.build();
	}

	/**
	 * Bad input is the caller's problem: no ERROR, no stack trace, one WARN line at most.
	 */
	private static void assertQuietLog(CapturedOutput output) {
		assertThat(output.getAll()).doesNotContain(" ERROR ").doesNotContain("\tat ");
		assertThat(output.getAll().lines().filter((line) -> line.contains(" WARN ")).count()).isLessThanOrEqualTo(1);
	}

	private static void assertError(WebTestClient.ResponseSpec response, int status, String message) {
		JsonNode body = error(response, status);
		assertThat(body.get("message").asString()).isEqualTo(message);
	}

	private static JsonNode error(WebTestClient.ResponseSpec response, int status) {
		JsonNode body = response.expectStatus()
			.isEqualTo(status)
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(body.get("status").asInt()).isEqualTo(status);
		assertThat(body.get("error").asString()).isNotBlank();
		assertThat(body.get("message").asString()).hasSizeLessThan(300);
		assertThat(body.propertyNames()).containsOnly("status", "error", "message");
		return body;
	}

}
