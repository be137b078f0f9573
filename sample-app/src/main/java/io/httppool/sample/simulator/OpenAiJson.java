package io.httppool.sample.simulator;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bodies of the OpenAI speech-to-text API as the embedded upstream writes them. Every
 * answer carries {@code "model"}, the name of the engine that made it, so that nobody
 * mistakes a simulated transcript for a real one.
 *
 * @author http-pool team
 */
final class OpenAiJson {

	static final String SIMULATED = "simulated";

	private OpenAiJson() {
	}

	static String write(Object body) {
		return JsonMapper.shared().writeValueAsString(body);
	}

	static Json json(Transcript transcript, String model) {
		return new Json(transcript.text(), Usage.of(transcript), model);
	}

	static VerboseJson verboseJson(Transcript transcript, String language, String model) {
		List<Transcript.Segment> segments = transcript.segments();
		List<Segment> body = new ArrayList<>();
		for (int id = 0; id < segments.size(); id++) {
			Transcript.Segment segment = segments.get(id);
			body.add(new Segment(id, (int) Math.round(segment.start() * 100), segment.start(), segment.end(),
					" " + segment.text(), List.of(), 0.0, -0.25, 1.0, segment.noSpeechProb()));
		}
		return new VerboseJson("transcribe", language, transcript.durationSeconds(), transcript.text(), body,
				Usage.of(transcript), model);
	}

	static Error error(String message, String type, @Nullable String param, @Nullable String code) {
		return new Error(new Error.Detail(message, type, param, code));
	}

	record Json(String text, Usage usage, String model) {
	}

	record VerboseJson(String task, String language, double duration, String text, List<Segment> segments, Usage usage,
			String model) {
	}

	record Segment(int id, int seek, double start, double end, String text, List<Integer> tokens, double temperature,
			@JsonProperty("avg_logprob") double avgLogprob, @JsonProperty("compression_ratio") double compressionRatio,
			@JsonProperty("no_speech_prob") double noSpeechProb) {
	}

	record Usage(String type, long seconds) {

		static Usage of(Transcript transcript) {
			return new Usage("duration", (long) Math.ceil(transcript.durationSeconds()));
		}

	}

	record Error(Detail error) {

		@JsonInclude(JsonInclude.Include.ALWAYS)
		record Detail(String message, String type, @Nullable String param, @Nullable String code) {
		}

	}

}
