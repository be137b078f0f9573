package io.httppool.sample.transcription;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.httppool.sample.SampleProperties;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Service;

/**
 * Transcribes an upload: sends its chunks concurrently, at most
 * {@code sample.max-parallel-chunks} at a time, and merges the answers in order.
 *
 * @author http-pool team
 */
@Service
public class TranscriptionService {

	private final SpeechToTextClient client;

	private final int maxParallelChunks;

	TranscriptionService(SpeechToTextClient client, SampleProperties properties) {
		if (properties.getMaxParallelChunks() < 1) {
			throw new IllegalArgumentException(
					"sample.max-parallel-chunks must be at least 1 but was " + properties.getMaxParallelChunks());
		}
		this.client = client;
		this.maxParallelChunks = properties.getMaxParallelChunks();
	}

	/**
	 * Transcribe an upload.
	 * @param upload the upload
	 * @return the merged transcription
	 */
	public Mono<Transcription> transcribe(Upload upload) {
		return Mono.defer(() -> {
			long started = System.nanoTime();
			return transcribeChunks(upload).collectList().map((chunks) -> merge(upload, chunks, started));
		});
	}

	/**
	 * Transcribe the chunks of an upload, one result per chunk as it finishes (not
	 * necessarily in order).
	 * @param upload the upload
	 * @return the chunk transcripts
	 */
	public Flux<ChunkTranscript> transcribeChunks(Upload upload) {
		return Flux.fromIterable(upload.audio().chunks())
			.flatMap((chunk) -> this.client.transcribe(chunk, upload.language(), upload.model()),
					this.maxParallelChunks);
	}

	/**
	 * Merge chunk transcripts in chunk order.
	 * @param upload the upload
	 * @param chunks the transcripts of all its chunks, in any order
	 * @param startedNanos {@link System#nanoTime()} when the first chunk was sent
	 * @return the transcription
	 */
	public Transcription merge(Upload upload, Collection<ChunkTranscript> chunks, long startedNanos) {
		List<ChunkTranscript> ordered = chunks.stream()
			.sorted(Comparator.comparingInt(ChunkTranscript::index))
			.toList();
		String text = ordered.stream()
			.map(ChunkTranscript::text)
			.filter((chunkText) -> !chunkText.isBlank())
			.collect(Collectors.joining(" "));
		List<Segment> segments = ordered.stream().flatMap((chunk) -> chunk.segments().stream()).toList();
		int attempts = ordered.stream().mapToInt(ChunkTranscript::attempts).sum();
		String protocol = distinct(ordered.stream().map(ChunkTranscript::protocol).toList(), "unknown");
		String model = distinct(ordered.stream().map(ChunkTranscript::model).toList(), upload.model());
		long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
		return new Transcription(text, segments, upload.audio().durationSeconds(), ordered.size(),
				new Transcription.Upstream(SpeechToTextClient.CLIENT, protocol, attempts, elapsedMs, model));
	}

	private static String distinct(List<? extends Object> values, String fallback) {
		String joined = values.stream()
			.filter(Objects::nonNull)
			.map(Object::toString)
			.distinct()
			.collect(Collectors.joining(", "));
		return joined.isEmpty() ? fallback : joined;
	}

}
