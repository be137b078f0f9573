package io.httppool.sample;

import io.httppool.sample.transcription.Transcription;
import org.junit.jupiter.api.Test;

import org.springframework.aot.AotDetector;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application started the way {@code java -jar} starts it, through
 * {@link SampleApplication}, without the test framework: with
 * {@code -Dspring.aot.enabled=true} (the {@code aot} profile) it runs on the code that
 * {@code spring-boot:process-aot} generated, and refuses to start if there is none.
 */
class ApplicationStartTests {

	private static final String AOT_INITIALIZER = SampleApplication.class.getName() + "__ApplicationContextInitializer";

	@Test
	void applicationStartsAndTranscribesOverItsPooledClient() {
		SpringApplication application = new SpringApplication(SampleApplication.class);
		// AOT looks for <main class>__ApplicationContextInitializer
		application.setMainApplicationClass(SampleApplication.class);
		try (ConfigurableApplicationContext context = application.run("--server.port=0",
				"--sample.upstream.real-time-factor=0", "--spring.main.banner-mode=off")) {
			if (AotDetector.useGeneratedArtifacts()) {
				assertThat(ClassUtils.isPresent(AOT_INITIALIZER, null)).as(AOT_INITIALIZER).isTrue();
			}
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			Transcription transcription = Uploads.transcribe(port, TestAudio.sample());
			assertThat(transcription.chunks()).isEqualTo(2);
			assertThat(transcription.upstream().client()).isEqualTo("transcription");
			assertThat(transcription.upstream().protocol()).isEqualTo("HTTP/2.0");
		}
	}

}
