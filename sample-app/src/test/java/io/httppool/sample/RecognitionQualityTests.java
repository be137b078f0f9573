package io.httppool.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.httppool.sample.simulator.SttSimulator;
import io.httppool.sample.transcription.Segment;
import io.httppool.sample.transcription.Transcription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real speech through the whole sample: sentences spoken by Debian's {@code flite} at
 * test time (the committed WAVs of {@code src/test/resources/speech} where flite is not
 * installed), uploaded to the sample, recognised by Sphinx4 behind the embedded upstream.
 * Prints the word error rate per voice and the real-time factor; the {@code rms} voice
 * must come out at 15 % or better.
 */
@SphinxApplicationTest
class RecognitionQualityTests {

	private static final Path FLITE = Path.of("/usr/bin/flite");

	/** Voices measured, kal at 8 kHz; only the first is held to the limit. */
	private static final List<String> VOICES = List.of("rms", "slt", "awb", "kal");

	private static final double MAX_WORD_ERROR_RATE = 0.15;

	@LocalServerPort
	private int port;

	@Autowired
	private SttSimulator upstream;

	@TempDir
	private Path speech;

	@Test
	void sentencesSpokenByFliteAreRecognisedWithAWordErrorRateOfAtMost15Percent() throws Exception {
		List<String> sentences = new ClassPathResource("speech/sentences.txt")
			.getContentAsString(StandardCharsets.UTF_8)
			.lines()
			.filter((line) -> !line.isBlank())
			.toList();
		boolean flite = Files.isExecutable(FLITE);
		if (!flite) {
			System.err.println("RecognitionQualityTests: " + FLITE + " not found (apt-get install flite); using the "
					+ "committed rms recordings of src/test/resources/speech instead of speaking the sentences now");
		}
		List<String> voices = flite ? VOICES : VOICES.subList(0, 1);
		// the first recognitions run while the JIT compiles the decoder: not measured
		Uploads.transcribe(this.port, flite ? speak(VOICES.get(0), sentences.get(0)) : committed(1, VOICES.get(0)));
		List<String> report = new ArrayList<>();
		double rmsRate = 1;
		for (String voice : voices) {
			int errors = 0;
			int words = 0;
			double audioSeconds = 0;
			long started = System.nanoTime();
			for (int i = 0; i < sentences.size(); i++) {
				byte[] wav = flite ? speak(voice, sentences.get(i)) : committed(i + 1, voice);
				Transcription transcription = Uploads.transcribe(this.port, wav);
				assertThat(transcription.upstream().model()).isEqualTo("sphinx4-en-us");
				assertSegmentsAreTimedWithinTheAudio(transcription);
				errors += WordErrorRate.errors(sentences.get(i), transcription.text());
				words += WordErrorRate.words(sentences.get(i)).size();
				audioSeconds += transcription.durationSeconds();
				report.add(String.format(Locale.ROOT, "  %s: \"%s\" -> \"%s\"", voice, sentences.get(i),
						transcription.text()));
			}
			double seconds = (System.nanoTime() - started) / 1e9;
			double rate = errors / (double) words;
			report.add(String.format(Locale.ROOT,
					"%s: WER %.1f %% (%d errors in %d words), real-time factor %.2f " + "(%.1f s for %.1f s of audio)",
					voice, rate * 100, errors, words, seconds / audioSeconds, seconds, audioSeconds));
			if (voice.equals(VOICES.get(0))) {
				rmsRate = rate;
			}
		}
		System.out.println("Recognition quality, Sphinx4 behind the embedded upstream:");
		report.forEach(System.out::println);
		assertThat(rmsRate).as("word error rate of the rms voice, see the report above")
			.isLessThanOrEqualTo(MAX_WORD_ERROR_RATE);
	}

	@Test
	void sampleRecordingIsRecognisedInTwoChunksInFlightTogetherOnHttp2() throws Exception {
		Transcription transcription = Uploads.transcribe(this.port, TestAudio.sample());
		String said = Files.readString(Path.of("samples/hello-http-pool.txt"), StandardCharsets.UTF_8);
		assertThat(WordErrorRate.of(said, transcription.text())).as("word error rate of %s", transcription.text())
			.isLessThanOrEqualTo(MAX_WORD_ERROR_RATE);
		assertThat(transcription.chunks()).isEqualTo(2);
		assertThat(transcription.upstream().protocol()).isEqualTo("HTTP/2.0");
		assertThat(transcription.upstream().model()).isEqualTo("sphinx4-en-us");
		assertSegmentsAreTimedWithinTheAudio(transcription);
		SttSimulator.Stats seen = this.upstream.stats();
		assertThat(seen.requestsByProtocol()).containsOnlyKeys("HTTP/2.0");
		assertThat(seen.maxConcurrentRequests()).as("chunks recognised at once").isGreaterThanOrEqualTo(2);
	}

	@Test
	void otherLanguagesAreRefusedByTheEnglishModel() {
		JsonNode error = Uploads.client(this.port)
			.post()
			.uri("/api/transcriptions")
			.bodyValue(Uploads.upload(TestAudio.bursts(2), "ru"))
			.exchange()
			.expectStatus()
			.isEqualTo(502)
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(error.get("message").asString()).isEqualTo(
				"upstream 'transcription' answered 400: The sphinx4-en-us model recognises English ('en') only.");
	}

	private static void assertSegmentsAreTimedWithinTheAudio(Transcription transcription) {
		assertThat(transcription.segments()).isNotEmpty().allSatisfy((segment) -> {
			assertThat(segment.start()).isGreaterThanOrEqualTo(0).isLessThan(segment.end());
			assertThat(segment.end()).isLessThanOrEqualTo(transcription.durationSeconds());
		});
		assertThat(transcription.segments()).extracting(Segment::start).isSorted();
	}

	private byte[] speak(String voice, String sentence) throws IOException, InterruptedException {
		Path wav = this.speech.resolve(voice + "-" + Math.abs(sentence.hashCode()) + ".wav");
		Process flite = new ProcessBuilder(FLITE.toString(), "-voice", voice, "-t", sentence, "-o", wav.toString())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		try {
			assertThat(flite.waitFor(30, TimeUnit.SECONDS)).as("flite finished").isTrue();
			assertThat(flite.exitValue()).as("flite exit code").isZero();
		}
		finally {
			flite.destroyForcibly();
		}
		return Files.readAllBytes(wav);
	}

	private static byte[] committed(int sentence, String voice) throws IOException {
		return new ClassPathResource("speech/sentence-" + sentence + "-" + voice + ".wav").getContentAsByteArray();
	}

}
