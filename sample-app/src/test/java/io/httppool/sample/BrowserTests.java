package io.httppool.sample;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.httppool.sample.audio.WavSplitter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page at {@code /} in a real browser: Debian's {@code chromium}, headless, driven by
 * Selenium through {@code chromium-driver}. Skipped, loudly, where either is missing.
 * <p>
 * The sample runs in this JVM on a random port, in the same application context as
 * {@link RecognitionQualityTests}: the Sphinx4 recognizers are loaded once for both, and
 * no process or port has to be managed. The built jar is exercised by the README's first
 * command instead.
 */
@SphinxApplicationTest
class BrowserTests {

	private static final Path CHROMIUM = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));

	private static final Path CHROMEDRIVER = Path.of(System.getProperty("chromedriver", "/usr/bin/chromedriver"));

	private static final Path SAMPLE = Path.of("samples/hello-http-pool.wav");

	private static final Path SCREENSHOT = Path.of("target/browser/transcription-page.png");

	private static ChromeDriverService service;

	private static ChromeDriver browser;

	@LocalServerPort
	private int port;

	@BeforeAll
	static void startBrowser() {
		if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
			String message = "BrowserTests SKIPPED: " + CHROMIUM + " or " + CHROMEDRIVER
					+ " is missing (Debian: apt-get install chromium chromium-driver)";
			System.err.println("*".repeat(message.length()));
			System.err.println(message);
			System.err.println("*".repeat(message.length()));
			Assumptions.abort(message);
		}
		service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
				"--window-size=1400,1000");
		browser = new ChromeDriver(service, options);
	}

	@AfterAll
	static void stopBrowser() {
		if (browser != null) {
			browser.quit();
		}
		if (service != null) {
			service.stop();
		}
	}

	@Test
	void uploadShowsOneProgressItemPerChunkTheTranscriptAndThePoolAtWork() throws Exception {
		int chunks = new WavSplitter(Duration.ofSeconds(15)).split(Files.readAllBytes(SAMPLE)).chunks().size();
		browser.get("http://127.0.0.1:" + this.port + "/");
		upload(SAMPLE.toFile());
		String state = awaitEnd(Uploads.TIMEOUT);
		saveScreenshot();
		assertThat(state).as("page state; error shown: %s", text("error")).isEqualTo("done");

		List<WebElement> progress = browser.findElements(By.cssSelector("#progress li"));
		assertThat(progress).as("one progress item per chunk").hasSize(chunks);
		String transcript = text("transcript");
		String expected = Files.readString(Path.of("samples/hello-http-pool.txt"), StandardCharsets.UTF_8);
		double wordErrorRate = WordErrorRate.of(expected,
				transcript.replaceAll("\\d+:\\d+\\.\\d+ - \\d+:\\d+\\.\\d+", ""));
		assertThat(wordErrorRate).as("word error rate of the transcript shown: %s", transcript).isLessThan(0.15);
		assertThat(browser.findElements(By.cssSelector("#transcript .segment .time"))).isNotEmpty()
			.allSatisfy((time) -> assertThat(time.getText()).matches("\\d+:\\d+\\.\\d+ - \\d+:\\d+\\.\\d+"));
		assertThat(text("summary")).contains(chunks + " chunk(s)").contains("HTTP/2.0").contains("sphinx4-en-us");

		assertThat(Integer.parseInt(text("pool-peak-streams"))).as("most active streams the pool panel showed")
			.isGreaterThanOrEqualTo(1);
		assertThat(Integer.parseInt(text("pool-peak-connections"))).as("most connections the pool panel showed")
			.isGreaterThanOrEqualTo(1);
		assertThat(text("pool-protocol")).isEqualTo("HTTP/2");
		assertThat(text("pool-breaker")).isEqualTo("CLOSED");
		assertThat(browser.findElement(By.id("chart-streams")).getDomAttribute("points")).isNotBlank();
	}

	@Test
	void fileThatIsNotWavShowsTheApisMessage(@TempDir Path directory) throws Exception {
		Path notWav = Files.writeString(directory.resolve("notes.wav"), "just text");
		browser.get("http://127.0.0.1:" + this.port + "/");
		upload(notWav.toFile());
		assertThat(awaitEnd(Duration.ofSeconds(30))).isEqualTo("failed");
		assertThat(text("error")).isEqualTo("file is not a WAV file");
		assertThat(browser.findElements(By.cssSelector("#progress li"))).isEmpty();
	}

	private static void upload(File file) {
		browser.findElement(By.id("file")).sendKeys(file.getAbsolutePath());
		browser.findElement(By.id("start")).click();
	}

	/** Wait until the page says the upload is done or failed. */
	private static String awaitEnd(Duration timeout) {
		return new WebDriverWait(browser, timeout).until((driver) -> {
			String state = driver.findElement(By.tagName("body")).getDomAttribute("data-state");
			return ("done".equals(state) || "failed".equals(state)) ? state : null;
		});
	}

	private static String text(String id) {
		return browser.findElement(By.id(id)).getText();
	}

	private static void saveScreenshot() throws Exception {
		Files.createDirectories(SCREENSHOT.getParent());
		Files.write(SCREENSHOT, browser.getScreenshotAs(OutputType.BYTES));
		System.out.println("Screenshot of the page: " + SCREENSHOT.toAbsolutePath());
	}

}
