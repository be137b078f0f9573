package io.httppool.sample.audio;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

import io.httppool.sample.TestAudio;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

class WavSplitterTests {

	private final WavSplitter splitter = new WavSplitter(Duration.ofSeconds(15));

	@Test
	void twoMinutesSplitIntoEightWavChunksOfFifteenSeconds() throws Exception {
		SplitAudio audio = this.splitter.split(TestAudio.bursts(120));
		assertThat(audio.durationSeconds()).isEqualTo(120.0);
		assertThat(audio.chunks()).hasSize(8);
		for (AudioChunk chunk : audio.chunks()) {
			assertThat(chunk.offsetSeconds()).isEqualTo(chunk.index() * 15.0);
			assertThat(chunk.durationSeconds()).isEqualTo(15.0);
			try (AudioInputStream wav = AudioSystem.getAudioInputStream(new ByteArrayInputStream(chunk.wav()))) {
				assertThat(wav.getFormat().getSampleRate()).isEqualTo(TestAudio.SAMPLE_RATE);
				assertThat(wav.getFrameLength()).isEqualTo(15 * 16000);
			}
		}
	}

	@Test
	void lastChunkHoldsWhatIsLeft() throws Exception {
		SplitAudio audio = this.splitter.split(TestAudio.sample());
		assertThat(audio.chunks()).hasSize(2);
		AudioChunk last = audio.chunks().get(1);
		assertThat(last.offsetSeconds()).isEqualTo(15.0);
		assertThat(last.durationSeconds()).isCloseTo(audio.durationSeconds() - 15, within(0.001));
		assertThat(audio.durationSeconds()).isBetween(15.0, 30.0);
	}

	@Test
	void contentThatIsNotWavIsRejected() {
		assertThatExceptionOfType(InvalidAudioException.class)
			.isThrownBy(() -> this.splitter.split("hello".getBytes(StandardCharsets.UTF_8)))
			.withMessage("file is not a WAV file");
		assertThatExceptionOfType(InvalidAudioException.class).isThrownBy(() -> this.splitter.split(TestAudio.aiff(3)))
			.withMessage("file is AIFF audio, not a WAV file");
	}

	@Test
	void wavWithoutFramesIsRejected() {
		assertThatExceptionOfType(InvalidAudioException.class)
			.isThrownBy(() -> this.splitter.split(TestAudio.bursts(0)))
			.withMessage("WAV file holds no audio frames");
	}

	@Test
	void wavThatIsNotPcmIsRejected() {
		assertThatExceptionOfType(InvalidAudioException.class)
			.isThrownBy(() -> this.splitter.split(TestAudio.ulawWav(3)))
			.withMessage("WAV file must hold PCM audio (integer samples), but holds ULAW");
	}

}
