package io.httppool.sample;

import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Bad settings of the embedded upstream stop the application with a message naming the
 * key.
 */
class UpstreamSettingsTests {

	@Test
	void noRecognizerAtAllStopsTheApplication() {
		assertThatIllegalArgumentException()
			// main: in AOT mode the generated initializer is looked up by the main class
			.isThrownBy(() -> new SpringApplicationBuilder(SampleApplication.class).main(SampleApplication.class)
				.run("--server.port=0", "--sample.upstream.engine=sphinx", "--sample.upstream.recognizers=0")
				.close())
			.withMessage("sample.upstream.recognizers must be at least 1 but was 0");
	}

}
