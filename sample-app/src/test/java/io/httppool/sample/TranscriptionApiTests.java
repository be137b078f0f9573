package io.httppool.sample;

import java.util.List;

import io.httppool.sample.transcription.Segment;
import io.httppool.sample.transcription.Transcription;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/transcriptions} end to end over real HTTP, against the embedded
 * simulator.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.upstream.real-time-factor=0.01")
@DirtiesContext
class TranscriptionApiTests {

	@LocalServerPort
	private int port;

	private WebTestClient client;

	@BeforeEach
	void client() {
		this.client = Uploads.client(this.port);
	}

	@Test
	void sampleWavIsTranscribedInTwoChunks() {
		Transcription transcription = transcribe(TestAudio.sample());
		assertThat(transcription.chunks()).isEqualTo(2);
		assertThat(transcription.durationSeconds()).isBetween(15.0, 30.0);
		assertThat(transcription.segments()).isNotEmpty().allSatisfy((segment) -> {
			assertThat(segment.start()).isLessThan(segment.end());
			assertThat(segment.end()).isLessThanOrEqualTo(transcription.durationSeconds());
			assertThat(segment.text()).startsWith("[simulated]");
		});
		assertThat(transcription.segments()).extracting(Segment::start).isSorted();
		assertThat(transcription.segments())
			.anySatisfy((segment) -> assertThat(segment.start()).isGreaterThanOrEqualTo(15));
		assertThat(transcription.text())
			.isEqualTo(String.join(" ", transcription.segments().stream().map(Segment::text).toList()));
		assertThat(transcription.upstream().client()).isEqualTo("transcription");
		assertThat(transcription.upstream().protocol()).isEqualTo("HTTP/2.0");
		assertThat(transcription.upstream().attempts()).isEqualTo(2);
		assertThat(transcription.upstream().model()).isEqualTo("simulated");
	}

	@Test
	void twoMinutesAreCutIntoEightChunksAndMergedInOrderWithShiftedTimestamps() {
		Transcription transcription = transcribe(TestAudio.bursts(120));
		assertThat(transcription.chunks()).isEqualTo(8);
		assertThat(transcription.durationSeconds()).isEqualTo(120.0);
		assertBurstsInOrder(transcription.segments(), 40);
		assertThat(transcription.upstream().attempts()).isEqualTo(8);
	}

	@Test
	void progressStreamSendsOneEventPerFinishedChunkThenTheResult() {
		List<ServerSentEvent<JsonNode>> events = this.client.post()
			.uri("/api/transcriptions")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.bodyValue(Uploads.wav(TestAudio.bursts(60)))
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(new ParameterizedTypeReference<ServerSentEvent<JsonNode>>() {
			})
			.getResponseBody()
			.collectList()
			.block();
		assertThat(events).hasSize(5);
		List<ServerSentEvent<JsonNode>> chunks = events.subList(0, 4);
		assertThat(chunks).extracting(ServerSentEvent::event).containsOnly("chunk");
		assertThat(chunks).extracting((event) -> event.data().get("index").asInt())
			.containsExactlyInAnyOrder(0, 1, 2, 3);
		assertThat(chunks).allSatisfy((event) -> {
			int index = event.data().get("index").asInt();
			assertThat(event.data().get("start").asDouble()).isEqualTo(15.0 * index);
			assertThat(event.data().get("segments")).hasSize(5);
			assertThat(event.data().get("segments").get(0).get("start").asDouble())
				.isEqualTo(TestAudio.start(5 * index));
		});
		ServerSentEvent<JsonNode> result = events.get(4);
		assertThat(result.event()).isEqualTo("result");
		assertThat(result.data().get("chunks").asInt()).isEqualTo(4);
		assertThat(result.data().get("segments")).hasSize(20);
		assertThat(result.data().get("upstream").get("protocol").asString()).isEqualTo("HTTP/2.0");
	}

	@Test
	void languageIsPassedOnAndTheSameAudioGivesTheSameText() {
		Transcription first = transcribe(Uploads.upload(TestAudio.bursts(20), "en"));
		Transcription second = transcribe(Uploads.upload(TestAudio.bursts(20), "ru"));
		assertThat(first.chunks()).isEqualTo(2);
		assertThat(first.text()).isEqualTo(second.text());
	}

	/**
	 * Burst {@code n} of {@link TestAudio#bursts(int)} starts at {@code 3n + 0.5}
	 * seconds, lasts 2 seconds and sounds at {@code TestAudio.pitch(n)} Hz, which the
	 * simulator's text reports: so each segment proves its chunk's order and offset.
	 */
	static void assertBurstsInOrder(List<Segment> segments, int bursts) {
		assertThat(segments).hasSize(bursts);
		for (int burst = 0; burst < bursts; burst++) {
			Segment segment = segments.get(burst);
			assertThat(segment.start()).as("start of burst %d", burst).isEqualTo(TestAudio.start(burst));
			assertThat(segment.end()).as("end of burst %d", burst)
				.isEqualTo(TestAudio.start(burst) + TestAudio.BURST_SECONDS);
			assertThat(segment.text()).endsWith("around " + TestAudio.pitch(burst) + " Hz.");
		}
	}

	private Transcription transcribe(byte[] wav) {
		return transcribe(Uploads.wav(wav));
	}

	private Transcription transcribe(org.springframework.util.MultiValueMap<String, ?> upload) {
		return Uploads.transcribe(this.client, upload);
	}

}
