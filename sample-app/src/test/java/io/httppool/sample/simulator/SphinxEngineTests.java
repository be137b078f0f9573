package io.httppool.sample.simulator;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;

import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The conversion to what the Sphinx4 model needs, without loading the model.
 */
class SphinxEngineTests {

	@Test
	void audioAtOtherRatesChannelCountsAndSampleSizesIsConvertedTo16kHzMono16Bit() throws Exception {
		assertConvertedLength(new AudioFormat(44100, 16, 2, true, false), 2.0);
		assertConvertedLength(new AudioFormat(48000, 16, 1, true, true), 2.0);
		assertConvertedLength(new AudioFormat(8000, 8, 1, false, false), 2.0);
		assertConvertedLength(SphinxEngine.FORMAT, 2.0);
	}

	private static void assertConvertedLength(AudioFormat format, double seconds) throws Exception {
		byte[] pcm = SphinxEngine.toModelFormat(silence(format, seconds));
		double converted = pcm.length / (double) SphinxEngine.FORMAT.getFrameSize()
				/ SphinxEngine.FORMAT.getFrameRate();
		assertThat(converted).as("seconds after converting %s", format).isCloseTo(seconds, within(0.01));
	}

	private static byte[] silence(AudioFormat format, double seconds) throws Exception {
		int frames = (int) Math.round(format.getFrameRate() * seconds);
		byte[] data = new byte[frames * format.getFrameSize()];
		if (format.getEncoding() == AudioFormat.Encoding.PCM_UNSIGNED) {
			java.util.Arrays.fill(data, (byte) 0x80);
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		AudioSystem.write(new AudioInputStream(new ByteArrayInputStream(data), format, frames),
				AudioFileFormat.Type.WAVE, out);
		return out.toByteArray();
	}

}
