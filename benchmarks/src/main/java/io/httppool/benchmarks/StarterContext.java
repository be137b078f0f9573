package io.httppool.benchmarks;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Application contexts the benchmarks take their clients from: http-pool's starter with
 * each of its layers switched on or off through properties, the way an application does
 * it, or Boot alone for its auto-configured {@code WebClient.Builder}.
 *
 * @author http-pool team
 */
public final class StarterContext {

	/**
	 * Name of the one http-pool client every benchmark configures.
	 */
	public static final String CLIENT = "bench";

	private StarterContext() {
	}

	/**
	 * Start a non-web application context with auto-configuration and the given
	 * properties ({@code key=value}).
	 * @param properties the properties
	 * @return the running context
	 */
	public static ConfigurableApplicationContext start(List<String> properties) {
		List<String> args = new ArrayList<>();
		args.add("--spring.main.banner-mode=off");
		args.add("--logging.level.root=WARN");
		properties.forEach((property) -> args.add("--" + property));
		return new SpringApplicationBuilder(BenchmarkApplication.class).web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.run(args.toArray(String[]::new));
	}

	/**
	 * Which of the starter's per-request layers are on. The retry budget has no switch of
	 * its own (it is on whenever retry is), so it is measured together with retry.
	 *
	 * @param retry whether retry (and with it the retry budget) is on
	 * @param breaker whether the circuit breaker is on
	 * @param deadline whether the total deadline ({@code timeout}) is on
	 * @param metrics whether the {@code http.pool.*} meters are on
	 * @param observation whether Spring's {@code http.client.requests} observation is on
	 */
	public record Layers(boolean retry, boolean breaker, boolean deadline, boolean metrics, boolean observation) {

		/**
		 * The starter's defaults: every layer on.
		 */
		public static final Layers DEFAULTS = new Layers(true, true, true, true, true);

		/**
		 * Every layer off: the pool and the client alone.
		 */
		public static final Layers BARE = new Layers(false, false, false, false, false);

		/**
		 * The properties that switch the layers for {@link #CLIENT}.
		 * @return the properties
		 */
		public List<String> properties() {
			String prefix = "http.pool.clients." + CLIENT + ".";
			List<String> properties = new ArrayList<>();
			properties.add(prefix + "retry.enabled=" + this.retry);
			properties.add(prefix + "circuit-breaker.enabled=" + this.breaker);
			if (!this.deadline) {
				properties.add(prefix + "timeout=0");
			}
			properties.add("management.metrics.enable.http.pool=" + this.metrics);
			properties.add("management.observations.enable.http.client.requests=" + this.observation);
			return properties;
		}

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class BenchmarkApplication {

	}

}
