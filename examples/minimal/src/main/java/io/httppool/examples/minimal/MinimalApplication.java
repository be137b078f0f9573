package io.httppool.examples.minimal;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A plain Spring Boot application with the http-pool starter: {@code application.yml}
 * defines two clients, {@code inventory} and {@code stt}, and {@link Inventory} uses one.
 *
 * @author http-pool team
 */
@SpringBootApplication
public class MinimalApplication {

	public static void main(String[] args) {
		SpringApplication.run(MinimalApplication.class, args);
	}

}
