package io.httppool.sample.web;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.httppool.sample.Causes;
import io.httppool.sample.SampleProperties;
import io.httppool.sample.UserInput;
import io.httppool.sample.audio.InvalidAudioException;
import io.httppool.sample.audio.SplitAudio;
import io.httppool.sample.audio.WavSplitter;
import io.httppool.sample.transcription.Upload;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.multipart.FilePart;
import org.springframework.http.codec.multipart.FormFieldPart;
import org.springframework.http.codec.multipart.Part;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ServerWebExchange;

/**
 * Reads and checks the multipart upload ({@code file}, optional {@code language} and
 * {@code model}) and cuts the file into chunks. Every problem becomes a
 * {@link BadUploadException} with a 4xx status.
 *
 * @author http-pool team
 */
@Component
class UploadReader {

	private static final Set<String> LANGUAGES = Set.of(Locale.getISOLanguages());

	/** Longest model name forwarded upstream; OpenAI's are below 40 characters. */
	private static final int MAX_MODEL_LENGTH = 100;

	private static final String NOT_PARSED = "the multipart body could not be parsed";

	private static final Log logger = LogFactory.getLog(UploadReader.class);

	/** Room for multipart boundaries and headers around the file. */
	private static final long MULTIPART_OVERHEAD = 64 * 1024;

	private final WavSplitter splitter;

	private final String defaultModel;

	private final DataSize maxUploadSize;

	private final long maxUploadBytes;

	UploadReader(SampleProperties properties) {
		if (properties.getChunkDuration().compareTo(Duration.ofMillis(100)) < 0) {
			throw new IllegalArgumentException(
					"sample.chunk-duration must be at least 100ms but was " + properties.getChunkDuration());
		}
		this.splitter = new WavSplitter(properties.getChunkDuration());
		this.defaultModel = properties.getModel();
		this.maxUploadSize = properties.getMaxUploadSize();
		this.maxUploadBytes = this.maxUploadSize.toBytes();
	}

	Mono<Upload> read(ServerWebExchange exchange) {
		if (exchange.getRequest().getHeaders().getContentLength() > this.maxUploadBytes + MULTIPART_OVERHEAD) {
			return Mono.error(tooLarge());
		}
		MediaType contentType = exchange.getRequest().getHeaders().getContentType();
		if (contentType != null && contentType.getParameter("boundary") == null) {
			return Mono.error(bad(NOT_PARSED + ": its Content-Type has no boundary"));
		}
		return exchange.getMultipartData().onErrorMap(UploadReader::isBadBody, this::badBody).flatMap(this::read);
	}

	private Mono<Upload> read(MultiValueMap<String, Part> parts) {
		List<Part> files = parts.getOrDefault("file", List.of());
		if (files.size() > 1) {
			return Mono.error(bad("send one multipart field 'file', not " + files.size()));
		}
		if (!(parts.getFirst("file") instanceof FilePart file)) {
			return Mono.error(bad("multipart field 'file' with a WAV file is required"));
		}
		String language = field(parts, "language");
		if (language != null && !LANGUAGES.contains(language)) {
			return Mono.error(bad(
					"language must be an ISO-639-1 code such as 'en' or 'ru', but was " + UserInput.quote(language)));
		}
		String model = field(parts, "model");
		if (model != null && (model.length() > MAX_MODEL_LENGTH || !UserInput.isPrintable(model))) {
			return Mono.error(bad("model must be at most " + MAX_MODEL_LENGTH + " printable characters, but was "
					+ UserInput.quote(model)));
		}
		return DataBufferUtils.join(file.content(), (int) Math.min(Integer.MAX_VALUE, this.maxUploadBytes))
			.map(UploadReader::toBytes)
			.defaultIfEmpty(new byte[0])
			.onErrorMap(UploadReader::isBadBody, this::badBody)
			.publishOn(Schedulers.boundedElastic())
			.map((bytes) -> new Upload(split(bytes), language, (model != null) ? model : this.defaultModel));
	}

	private SplitAudio split(byte[] wav) {
		if (wav.length == 0) {
			throw bad("file is empty");
		}
		try {
			return this.splitter.split(wav);
		}
		catch (InvalidAudioException ex) {
			throw new BadUploadException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, ex.getMessage());
		}
	}

	private static @Nullable String field(MultiValueMap<String, Part> parts, String name) {
		return (parts.getFirst(name) instanceof FormFieldPart field && StringUtils.hasText(field.value()))
				? field.value().trim() : null;
	}

	private static byte[] toBytes(DataBuffer buffer) {
		try {
			byte[] bytes = new byte[buffer.readableByteCount()];
			buffer.read(bytes);
			return bytes;
		}
		finally {
			DataBufferUtils.release(buffer);
		}
	}

	/** The body is too large or not multipart at all: the caller's fault, not ours. */
	private static boolean isBadBody(Throwable failure) {
		return Causes.find(failure, DataBufferLimitException.class) != null
				|| Causes.find(failure, DecodingException.class) != null;
	}

	private BadUploadException badBody(Throwable failure) {
		if (Causes.find(failure, DataBufferLimitException.class) != null) {
			return tooLarge();
		}
		logger.debug("Multipart body could not be parsed", failure);
		return bad(NOT_PARSED);
	}

	private BadUploadException tooLarge() {
		return new BadUploadException(HttpStatus.CONTENT_TOO_LARGE,
				"file is larger than sample.max-upload-size (" + this.maxUploadSize.toMegabytes() + "MB)");
	}

	private static BadUploadException bad(String message) {
		return new BadUploadException(HttpStatus.BAD_REQUEST, message);
	}

}
