package io.httppool.sample.transcription;

import java.util.List;
import java.util.UUID;

import io.httppool.sample.audio.AudioChunk;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Sends one chunk to {@code POST /v1/audio/transcriptions} of an OpenAI-compatible API
 * through the pooled {@code transcription} client. Base URL, API key, protocol, pool,
 * retries and breaker all come from {@code http.pool.clients.transcription.*}.
 *
 * @author http-pool team
 */
@Component
public class SpeechToTextClient {

	/** Name of the http-pool client, as in {@code http.pool.clients.transcription}. */
	public static final String CLIENT = "transcription";

	private static final MediaType AUDIO_WAV = MediaType.parseMediaType("audio/wav");

	private final WebClient webClient;

	SpeechToTextClient(@Qualifier(CLIENT) WebClient webClient) {
		this.webClient = webClient;
	}

	/**
	 * Transcribe one chunk.
	 * @param chunk the chunk
	 * @param language ISO-639-1 code, or {@code null} to let the upstream detect it
	 * @param model the model to ask for
	 * @return the chunk's transcript, times relative to the whole upload; an
	 * {@link UpstreamException} once the starter has given up
	 */
	public Mono<ChunkTranscript> transcribe(AudioChunk chunk, @Nullable String language, String model) {
		MultipartBodyBuilder form = new MultipartBodyBuilder();
		form.part("file", new ByteArrayResource(chunk.wav())).filename(chunk.filename()).contentType(AUDIO_WAV);
		form.part("model", model);
		if (language != null) {
			form.part("language", language);
		}
		form.part("response_format", "verbose_json");
		UpstreamAttempts attempts = new UpstreamAttempts();
		return this.webClient.post()
			.uri("/v1/audio/transcriptions")
			// one key per chunk, the same on every retry: the starter retries a POST only
			// with one
			.header("Idempotency-Key", UUID.randomUUID().toString())
			.contentType(MediaType.MULTIPART_FORM_DATA)
			.bodyValue(form.build())
			.retrieve()
			.bodyToMono(VerboseJson.class)
			.map((body) -> toTranscript(chunk, body, attempts))
			.contextWrite(attempts::addTo)
			.onErrorMap((failure) -> UpstreamException.of(CLIENT, failure));
	}

	private static ChunkTranscript toTranscript(AudioChunk chunk, VerboseJson body, UpstreamAttempts attempts) {
		double offset = chunk.offsetSeconds();
		String text = (body.text() != null) ? body.text().trim() : "";
		List<Segment> segments = (body.segments() != null)
				? body.segments().stream().map((segment) -> segment.shiftedBy(offset)).toList()
				// an upstream without segments (json only): one segment for the whole
				// chunk
				: text.isEmpty() ? List.of() : List.of(new Segment(0, chunk.durationSeconds(), text).shiftedBy(offset));
		return new ChunkTranscript(chunk.index(), Segment.millis(offset),
				Segment.millis(offset + chunk.durationSeconds()), text, segments, attempts.sent(), attempts.protocol(),
				body.model());
	}

	/**
	 * The parts of OpenAI's {@code verbose_json} answer the sample uses; {@code model} is
	 * an extension the simulator adds.
	 */
	record VerboseJson(@Nullable String text, @Nullable List<Segment> segments, @Nullable String model) {
	}

}
