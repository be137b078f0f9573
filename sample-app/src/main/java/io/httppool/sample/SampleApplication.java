package io.httppool.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * Sample application showing http-pool at work: a transcription service that cuts WAV
 * uploads into chunks and sends them concurrently over the pooled HTTP/2 connection of
 * the {@code transcription} client. Without configuration it talks to an embedded
 * speech-to-text simulator, see {@code io.httppool.sample.simulator}.
 *
 * @author http-pool team
 */
@SpringBootApplication
@EnableConfigurationProperties(SampleProperties.class)
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
