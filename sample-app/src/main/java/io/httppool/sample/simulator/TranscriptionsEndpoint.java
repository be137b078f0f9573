package io.httppool.sample.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;

import javax.sound.sampled.UnsupportedAudioFileException;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.netty.handler.codec.http.multipart.InterfaceHttpData;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.multipart.FileUpload;
import io.netty.handler.codec.http.multipart.HttpData;
import io.httppool.sample.UserInput;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * {@code POST /v1/audio/transcriptions} as OpenAI specifies it: multipart fields
 * {@code file}, {@code model}, {@code language}, {@code response_format}; answers in
 * {@code json}, {@code text} or {@code verbose_json}; errors as OpenAI error JSON.
 *
 * @author http-pool team
 */
final class TranscriptionsEndpoint {

	private static final long MAX_FILE_BYTES = 25L * 1024 * 1024;

	private static final Set<String> LANGUAGES = Set.of(Locale.getISOLanguages());

	private final SttSimulator.Settings settings;

	private final FaultSchedule faults;

	private final SpeechEngine engine;

	private final Scheduler engineThreads;

	private final IntConsumer statusCounter;

	TranscriptionsEndpoint(SttSimulator.Settings settings, SpeechEngine engine, Scheduler engineThreads,
			IntConsumer statusCounter) {
		this.settings = settings;
		this.faults = new FaultSchedule(settings.errorRate(), settings.throttleRate());
		this.engine = engine;
		this.engineThreads = engineThreads;
		this.statusCounter = statusCounter;
	}

	Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
		// the whole body, then Netty's decoder: receiveForm() sometimes stalled on the
		// first HTTP/2 stream of a connection with bodies of a few hundred KB
		Mono<Map<String, Field>> form = request.receive()
			.aggregate()
			.asByteArray()
			.defaultIfEmpty(new byte[0])
			.map((body) -> request.isMultipart() ? Field.decode(request, body) : Map.of());
		return form.flatMap((fields) -> answer(request, response, fields))
			.onErrorResume(HttpPostRequestDecoder.ErrorDataDecoderException.class,
					(ex) -> error(response, 400, "The multipart body could not be parsed.", null, null));
	}

	private Mono<Void> answer(HttpServerRequest request, HttpServerResponse response, Map<String, Field> fields) {
		String authorization = request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
		if (authorization == null || !authorization.startsWith("Bearer ")) {
			return error(response, 401, "You didn't provide an API key (Authorization: Bearer <key>).", null, null);
		}
		if (this.settings.apiKey() != null && !authorization.equals("Bearer " + this.settings.apiKey())) {
			return error(response, 401, "Incorrect API key provided.", null, "invalid_api_key");
		}
		switch (this.faults.next()) {
			case UNAVAILABLE:
				return error(response, 503, "The server is overloaded (simulated by sample.upstream.error-rate).", null,
						null);
			case THROTTLED:
				long retryAfterMillis = this.settings.retryAfter().toMillis();
				response.header("Retry-After", String.valueOf(Math.max(1, (retryAfterMillis + 999) / 1000)))
					.header("retry-after-ms", String.valueOf(retryAfterMillis));
				return error(response, 429, "Rate limit reached (simulated by sample.upstream.throttle-rate).", null,
						"rate_limit_exceeded");
			default:
				return transcribe(request, response, fields);
		}
	}

	private Mono<Void> transcribe(HttpServerRequest request, HttpServerResponse response, Map<String, Field> fields) {
		if (!request.isMultipart()) {
			return error(response, 400, "Content-Type must be multipart/form-data.", null, null);
		}
		Field file = fields.get("file");
		Field model = fields.get("model");
		Field language = fields.get("language");
		String format = fields.containsKey("response_format") ? fields.get("response_format").text() : "json";
		if (file == null || file.filename() == null) {
			return error(response, 400, "You must provide a file.", "file", null);
		}
		if (model == null || model.text().isBlank()) {
			return error(response, 400, "You must provide a model parameter.", "model", null);
		}
		if (language != null && !LANGUAGES.contains(language.text())) {
			return error(response, 400, "Language " + UserInput.quote(language.text()) + " is not an ISO-639-1 code.",
					"language", null);
		}
		if (!Set.of("json", "text", "verbose_json").contains(format)) {
			return error(response, 400,
					"The embedded upstream answers json, text or verbose_json, not " + UserInput.quote(format) + ".",
					"response_format", null);
		}
		if (file.content().length > MAX_FILE_BYTES) {
			return error(response, 413, "Maximum content size limit (" + MAX_FILE_BYTES + ") exceeded.", "file", null);
		}
		if (language != null && this.engine.takesRealTime() && !"en".equals(language.text())) {
			return error(response, 400, "The " + this.engine.model() + " model recognises English ('en') only.",
					"language", null);
		}
		// a real service detects the language; the embedded upstream cannot and says so
		String languageName = (language != null)
				? Locale.forLanguageTag(language.text()).getDisplayLanguage(Locale.ENGLISH).toLowerCase(Locale.ROOT)
				: "unknown";
		String engineModel = this.engine.model();
		return Mono.fromCallable(() -> this.engine.transcribe(file.content()))
			.subscribeOn(this.engineThreads)
			.flatMap((transcript) -> delay(transcript).then(Mono.defer(() -> switch (format) {
				case "text" -> send(response, 200, "text/plain; charset=utf-8", transcript.text());
				case "verbose_json" -> send(response, 200, "application/json",
						OpenAiJson.write(OpenAiJson.verboseJson(transcript, languageName, engineModel)));
				default ->
					send(response, 200, "application/json", OpenAiJson.write(OpenAiJson.json(transcript, engineModel)));
			})))
			.onErrorResume((ex) -> ex instanceof UnsupportedAudioFileException || ex instanceof IOException,
					(ex) -> error(response, 400, "Invalid file format. The embedded upstream understands PCM WAV only.",
							"file", null));
	}

	/** The simulated engine answers after real-time-factor x the audio's length. */
	private Mono<Long> delay(Transcript transcript) {
		if (this.engine.takesRealTime()) {
			return Mono.just(0L);
		}
		return Mono
			.delay(Duration.ofMillis(Math.round(transcript.durationSeconds() * this.settings.realTimeFactor() * 1000)));
	}

	private Mono<Void> error(HttpServerResponse response, int status, String message, @Nullable String param,
			@Nullable String code) {
		String type = switch (status) {
			case 429 -> "requests";
			case 500, 502, 503 -> "server_error";
			default -> "invalid_request_error";
		};
		return send(response, status, "application/json",
				OpenAiJson.write(OpenAiJson.error(message, type, param, code)));
	}

	private Mono<Void> send(HttpServerResponse response, int status, String contentType, String body) {
		this.statusCounter.accept(status);
		return response.status(HttpResponseStatus.valueOf(status))
			.header(HttpHeaderNames.CONTENT_TYPE, contentType)
			.sendString(Mono.just(body))
			.then();
	}

	/**
	 * One multipart field, copied out of Netty's buffers.
	 */
	private record Field(String name, @Nullable String filename, byte[] content) {

		/** Decode a multipart body with Netty's decoder, all in memory. */
		static Map<String, Field> decode(HttpServerRequest request, byte[] body) {
			FullHttpRequest full = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, request.uri(),
					Unpooled.wrappedBuffer(body));
			full.headers().set(request.requestHeaders());
			HttpPostRequestDecoder decoder = new HttpPostRequestDecoder(new DefaultHttpDataFactory(false), full);
			try {
				Map<String, Field> fields = new HashMap<>();
				for (InterfaceHttpData data : decoder.getBodyHttpDatas()) {
					if (data instanceof HttpData httpData) {
						fields.put(httpData.getName(), of(httpData));
					}
				}
				return fields;
			}
			finally {
				decoder.destroy();
				full.release();
			}
		}

		static Field of(HttpData data) {
			try {
				return new Field(data.getName(), (data instanceof FileUpload upload) ? upload.getFilename() : null,
						data.get());
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		String text() {
			return new String(this.content, java.nio.charset.StandardCharsets.UTF_8).trim();
		}

	}

}
