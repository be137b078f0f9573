package io.httppool.sample.simulator;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.stream.IntStream;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

import edu.cmu.sphinx.api.AbstractSpeechRecognizer;
import edu.cmu.sphinx.api.Configuration;
import edu.cmu.sphinx.api.Context;
import edu.cmu.sphinx.api.SpeechResult;
import edu.cmu.sphinx.result.WordResult;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Recognises English speech with CMU Sphinx4 and its US-English model, offline. A
 * recognizer is not thread-safe and takes about 200 MB and a few seconds to load, so the
 * engine loads a fixed number of them once ({@code sample.upstream.recognizers}) and
 * lends one to each request; with as many request threads as recognizers nobody waits for
 * one.
 *
 * @author http-pool team
 */
final class SphinxEngine implements SpeechEngine {

	/** What every answer names as its {@code model}. */
	static final String MODEL = "sphinx4-en-us";

	/** The tuned copy of Sphinx4's {@code default.config.xml}. */
	private static final String CONFIG = "resource:/io/httppool/sample/simulator/sphinx.config.xml";

	private static final String MODELS = "resource:/edu/cmu/sphinx/models/en-us/";

	/** What the acoustic model was trained on. */
	static final AudioFormat FORMAT = new AudioFormat(16000, 16, 1, true, false);

	private static final Log logger = LogFactory.getLog(SphinxEngine.class);

	private final BlockingQueue<Recognizer> idle;

	/**
	 * Load the recognizers.
	 * @param recognizers how many, at least 1
	 */
	SphinxEngine(int recognizers) {
		long started = System.nanoTime();
		this.idle = new ArrayBlockingQueue<>(recognizers);
		// in parallel: loading is mostly parsing, one core per recognizer
		IntStream.range(0, recognizers).parallel().mapToObj((i) -> Recognizer.load()).forEach(this.idle::add);
		logger.info("Loaded " + recognizers + " Sphinx4 recognizer(s) in " + (System.nanoTime() - started) / 1_000_000
				+ " ms");
	}

	@Override
	public String model() {
		return MODEL;
	}

	@Override
	public void close() {
		// called once no request runs any more: every recognizer is back
		Recognizer recognizer;
		while ((recognizer = this.idle.poll()) != null) {
			recognizer.close();
		}
	}

	@Override
	public Transcript transcribe(byte[] wav) throws UnsupportedAudioFileException, IOException {
		byte[] pcm = toModelFormat(wav);
		double duration = pcm.length / (double) FORMAT.getFrameSize() / FORMAT.getFrameRate();
		Recognizer recognizer = borrow();
		try {
			return new Transcript(Math.round(duration * 100) / 100.0, recognizer.recognize(pcm));
		}
		finally {
			this.idle.add(recognizer);
		}
	}

	/**
	 * Convert a WAV file to 16 kHz mono 16-bit PCM with {@code javax.sound.sampled}.
	 * @param wav the file content
	 * @return the samples, little-endian
	 * @throws UnsupportedAudioFileException if the content is not PCM WAV audio
	 * @throws IOException if the content cannot be read
	 */
	static byte[] toModelFormat(byte[] wav) throws UnsupportedAudioFileException, IOException {
		try (AudioInputStream audio = AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav))) {
			AudioFormat source = audio.getFormat();
			if (!AudioFormat.Encoding.PCM_SIGNED.equals(source.getEncoding())
					&& !AudioFormat.Encoding.PCM_UNSIGNED.equals(source.getEncoding())) {
				throw new UnsupportedAudioFileException("not PCM: " + source.getEncoding());
			}
			if (source.matches(FORMAT)) {
				return audio.readAllBytes();
			}
			// the JDK's converters change rate, channels and sample size in one go
			try (AudioInputStream converted = AudioSystem.getAudioInputStream(FORMAT, audio)) {
				return converted.readAllBytes();
			}
			catch (IllegalArgumentException ex) {
				throw new UnsupportedAudioFileException("cannot convert " + source + " to " + FORMAT);
			}
		}
	}

	private Recognizer borrow() {
		try {
			return this.idle.take();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while waiting for a recognizer", ex);
		}
	}

	/**
	 * One Sphinx4 recognizer with its own copy of the models, for one thread at a time.
	 * {@code StreamSpeechRecognizer} cannot be built from a {@link Context}, hence this
	 * subclass. It also allocates the models once instead of on every recognition:
	 * {@code StreamSpeechRecognizer} reloads dictionary and language model each time,
	 * which doubles the processing time of a 5 s chunk.
	 */
	private static final class Recognizer extends AbstractSpeechRecognizer {

		private Recognizer(Context context) throws IOException {
			super(context);
		}

		static Recognizer load() {
			Configuration configuration = new Configuration();
			configuration.setAcousticModelPath(MODELS + "en-us");
			configuration.setDictionaryPath(MODELS + "cmudict-en-us.dict");
			configuration.setLanguageModelPath(MODELS + "en-us.lm.bin");
			configuration.setSampleRate((int) FORMAT.getSampleRate());
			try {
				Recognizer recognizer = new Recognizer(new Context(CONFIG, configuration));
				recognizer.recognizer.allocate();
				return recognizer;
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Sphinx4 model could not be loaded", ex);
			}
		}

		/** One segment per utterance the front end detects, timed by its words. */
		List<Transcript.Segment> recognize(byte[] pcm) {
			this.context.setSpeechSource(new ByteArrayInputStream(pcm));
			List<Transcript.Segment> segments = new ArrayList<>();
			SpeechResult result;
			while ((result = getResult()) != null) {
				Transcript.Segment segment = segment(result.getWords());
				if (segment != null) {
					segments.add(segment);
				}
			}
			return segments;
		}

		void close() {
			this.recognizer.deallocate();
		}

		private static Transcript.@Nullable Segment segment(List<WordResult> words) {
			List<WordResult> spoken = words.stream().filter((word) -> !word.isFiller()).toList();
			if (spoken.isEmpty()) {
				return null;
			}
			String text = String.join(" ", spoken.stream().map((word) -> word.getWord().getSpelling()).toList());
			double start = spoken.get(0).getTimeFrame().getStart() / 1000.0;
			double end = spoken.get(spoken.size() - 1).getTimeFrame().getEnd() / 1000.0;
			return new Transcript.Segment(start, end, text, 0.0);
		}

	}

}
