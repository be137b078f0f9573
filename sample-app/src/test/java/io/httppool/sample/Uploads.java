package io.httppool.sample;

import java.time.Duration;

import io.httppool.sample.transcription.Transcription;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.MultiValueMap;

/**
 * Multipart uploads to the sample and a client for them, as a caller would send them.
 */
public final class Uploads {

	/**
	 * How long a test waits for the sample's answer: longer than the sample's own
	 * deadline for the upstream ({@code http.pool.clients.transcription.timeout}, 5
	 * minutes in {@code application.yml}), so that on a busy machine, where Sphinx4
	 * recognises slower than real time, the sample decides when a recognition took too
	 * long, not the test's client.
	 */
	public static final Duration TIMEOUT = Duration.ofMinutes(6);

	private Uploads() {
	}

	/**
	 * A client for the sample running on the given port.
	 * @param port the port
	 * @return the client
	 */
	public static WebTestClient client(int port) {
		return WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + port)
			.responseTimeout(TIMEOUT)
			.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(4 * 1024 * 1024))
			.build();
	}

	/**
	 * Upload a WAV file to the sample running on the given port, expect 200 with a JSON
	 * body and read the transcription.
	 * @param port the port
	 * @param wav the file content
	 * @return the transcription
	 */
	public static Transcription transcribe(int port, byte[] wav) {
		return transcribe(client(port), wav(wav));
	}

	/**
	 * Post an upload with the given client, expect 200 with a JSON body and read the
	 * transcription.
	 * @param client the client
	 * @param upload the multipart body
	 * @return the transcription
	 */
	public static Transcription transcribe(WebTestClient client, MultiValueMap<String, ?> upload) {
		return client.post()
			.uri("/api/transcriptions")
			.bodyValue(upload)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
			.expectBody(Transcription.class)
			.returnResult()
			.getResponseBody();
	}

	/**
	 * An upload of a WAV file.
	 * @param wav the file content
	 * @return the multipart body
	 */
	public static MultiValueMap<String, ?> wav(byte[] wav) {
		return upload(wav, null);
	}

	/**
	 * An upload of a file with an optional language.
	 * @param file the file content, or {@code null} for no file part
	 * @param language the language field, or {@code null} for none
	 * @return the multipart body
	 */
	public static MultiValueMap<String, ?> upload(byte @Nullable [] file, @Nullable String language) {
		MultipartBodyBuilder form = new MultipartBodyBuilder();
		if (file != null) {
			form.part("file", new ByteArrayResource(file)).filename("upload.wav");
		}
		if (language != null) {
			form.part("language", language);
		}
		return form.build();
	}

}
