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
		AudioChunk first = audio.chunks().get(0);
		AudioChunk last = audio.chunks().get(1);
		assertThat(first.durationSeconds()).isBetween(12.0, 15.0);
		assertThat(last.offsetSeconds()).isEqualTo(first.durationSeconds());
		assertThat(last.durationSeconds()).isCloseTo(audio.durationSeconds() - last.offsetSeconds(), within(0.001));
		assertThat(audio.durationSeconds()).isBetween(15.0, 30.0);
	}

	@Test
	void chunksAreCutInThePauseNearestBeforeTheirBoundary() throws Exception {
		// bursts sound at [3n + 0.5, 3n + 2.5): a cut at 10 s, 20 s, ... would split one;
		// the last fifth of a chunk, 2 s, always holds a pause
		SplitAudio audio = new WavSplitter(Duration.ofSeconds(10)).split(TestAudio.bursts(40));
		assertThat(audio.chunks()).hasSize(5);
		double end = 0;
		for (AudioChunk chunk : audio.chunks()) {
			assertThat(chunk.offsetSeconds()).isCloseTo(end, within(0.001));
			assertThat(chunk.durationSeconds()).isLessThanOrEqualTo(10.0);
			end = chunk.offsetSeconds() + chunk.durationSeconds();
			if (end < audio.durationSeconds()) {
				double intoPeriod = end % TestAudio.PERIOD_SECONDS;
				assertThat(intoPeriod < 0.5 || intoPeriod > 2.5).as("cut at %.3f s lies in a pause", end).isTrue();
			}
		}
		assertThat(end).isCloseTo(40.0, within(0.001));
	}

	@Test
	void wavWithSampleRateZeroIsRejectedForItsHeader() {
		assertThatExceptionOfType(InvalidAudioException.class)
			.isThrownBy(() -> this.splitter.split(TestAudio.withSampleRateZero(TestAudio.bursts(1))))
			.withMessage("WAV header is invalid: 0 Hz, 1 channel(s), 16 bits per sample; sample rate, channels and "
					+ "sample size must be positive");
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
