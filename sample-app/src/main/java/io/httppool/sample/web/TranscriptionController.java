package io.httppool.sample.web;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.httppool.sample.transcription.ChunkTranscript;
import io.httppool.sample.transcription.TranscriptionService;
import io.httppool.sample.transcription.Transcription;
import io.httppool.sample.transcription.Upload;
import io.httppool.sample.transcription.UpstreamException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * {@code POST /api/transcriptions}: a multipart upload with a PCM WAV {@code file} and
 * optional {@code language} and {@code model}. Answers the whole {@link Transcription} as
 * JSON, or with {@code Accept: text/event-stream} one {@code chunk} event per finished
 * chunk and then a {@code result} event.
 *
 * @author http-pool team
 */
@RestController
class TranscriptionController {

	private static final String PATH = "/api/transcriptions";

	private final UploadReader uploads;

	private final TranscriptionService transcriptions;

	TranscriptionController(UploadReader uploads, TranscriptionService transcriptions) {
		this.uploads = uploads;
		this.transcriptions = transcriptions;
	}

	@PostMapping(path = PATH, consumes = MediaType.MULTIPART_FORM_DATA_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	Mono<Transcription> transcribe(ServerWebExchange exchange) {
		return this.uploads.read(exchange).flatMap(this.transcriptions::transcribe);
	}

	@PostMapping(path = PATH, consumes = MediaType.MULTIPART_FORM_DATA_VALUE,
			produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	Flux<ServerSentEvent<Object>> stream(ServerWebExchange exchange) {
		return this.uploads.read(exchange).flatMapMany(this::progress);
	}

	private Flux<ServerSentEvent<Object>> progress(Upload upload) {
		long started = System.nanoTime();
		List<ChunkTranscript> done = new CopyOnWriteArrayList<>();
		Flux<ServerSentEvent<Object>> chunks = this.transcriptions.transcribeChunks(upload)
			.doOnNext(done::add)
			.map((chunk) -> event("chunk", chunk));
		Mono<ServerSentEvent<Object>> result = Mono
			.fromSupplier(() -> event("result", this.transcriptions.merge(upload, done, started)));
		// nothing is sent before the first event: a failure before it propagates and is
		// answered with its status code and JSON body by ApiExceptionHandler; once the
		// stream has begun, a failure becomes its last event
		return chunks.concatWith(result)
			.onErrorResume((failure) -> failure instanceof UpstreamException && !done.isEmpty(),
					(failure) -> Mono.just(event("error", ErrorBody.of((UpstreamException) failure))));
	}

	private static ServerSentEvent<Object> event(String name, Object data) {
		return ServerSentEvent.builder(data).event(name).build();
	}

}
