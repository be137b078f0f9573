package io.httppool.autoconfigure.hedging;

import io.httppool.autoconfigure.HttpPoolAutoConfiguration;
import io.httppool.autoconfigure.InvalidHttpPoolPropertyException;
import io.httppool.autoconfigure.resilience.HttpPoolResilienceAutoConfiguration;
import io.httppool.hedging.HttpPoolHedgingCustomizer;
import org.HdrHistogram.Recorder;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Wiring of hedged requests: the customizer, its back-off, the class conditions, and the
 * startup failures when hedges would have no budget or no estimate of their delay.
 */
class HttpPoolHedgingAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HttpPoolAutoConfiguration.class,
				HttpPoolResilienceAutoConfiguration.class, HttpPoolHedgingAutoConfiguration.class,
				WebClientAutoConfiguration.class, SslAutoConfiguration.class))
		.withPropertyValues("http.pool.clients.up.base-url=http://127.0.0.1:9");

	private final ApplicationContextRunner withoutResilience = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HttpPoolAutoConfiguration.class,
				HttpPoolHedgingAutoConfiguration.class, WebClientAutoConfiguration.class, SslAutoConfiguration.class))
		.withPropertyValues("http.pool.clients.up.base-url=http://127.0.0.1:9");

	@Test
	void theCustomizerIsThereWithResilience() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(HttpPoolHedgingCustomizer.class));
	}

	@Test
	void aCustomizerBeanOfTheUserWins() {
		HttpPoolHedgingCustomizer own = new HttpPoolHedgingCustomizer((name) -> null);
		this.runner.withBean(HttpPoolHedgingCustomizer.class, () -> own)
			.run((context) -> assertThat(context.getBean(HttpPoolHedgingCustomizer.class)).isSameAs(own));
	}

	@Test
	void withoutHdrHistogramThereIsNoHedging() {
		this.runner.withClassLoader(new FilteredClassLoader(Recorder.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(HttpPoolHedgingCustomizer.class));
	}

	@Test
	void withoutResilience4jThereIsNoHedging() {
		this.runner.withClassLoader(new FilteredClassLoader("io.github.resilience4j"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(HttpPoolHedgingCustomizer.class));
	}

	@Test
	void hedgingWithoutHdrHistogramStopsStartupNamingTheKeyAndWhatIsMissing() {
		this.runner.withClassLoader(new FilteredClassLoader(Recorder.class))
			.withPropertyValues("http.pool.clients.up.hedging.enabled=true")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidHttpPoolPropertyException.class)
				.hasMessage("http.pool.clients.up.hedging.enabled must be false, unless HdrHistogram"
						+ " (org.hdrhistogram:HdrHistogram), which estimates the delay is on the classpath"
						+ " (the starter brings both) but was true"));
	}

	@Test
	void hedgingWithoutResilience4jStopsStartupNamingTheKeyAndWhatIsMissing() {
		this.runner.withClassLoader(new FilteredClassLoader("io.github.resilience4j"))
			.withPropertyValues("http.pool.defaults.hedging.enabled=true")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidHttpPoolPropertyException.class)
				.hasMessageStartingWith("http.pool.defaults.hedging.enabled must be false, unless Resilience4j"
						+ " (io.github.resilience4j:resilience4j-spring-boot4)")
				.hasMessageNotContaining("HdrHistogram"));
	}

	@Test
	void hedgingWithoutTheResilienceAutoConfigurationStopsStartupNamingTheKey() {
		this.withoutResilience.withPropertyValues("http.pool.clients.up.hedging.enabled=true")
			.run((context) -> assertThat(context).getFailure()
				.isInstanceOf(InvalidHttpPoolPropertyException.class)
				.hasMessageStartingWith("http.pool.clients.up.hedging.enabled must be false unless"
						+ " HttpPoolResilienceAutoConfiguration is active"));
	}

	@Test
	void withoutTheResilienceAutoConfigurationAClientThatDoesNotHedgeStarts() {
		this.withoutResilience.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void hedgingWithoutRetriesStopsStartupNamingTheKeys() {
		this.runner
			.withPropertyValues("http.pool.clients.up.hedging.enabled=true", "http.pool.clients.up.retry.enabled=false")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("http.pool.clients.up.hedging.enabled")
				.hasMessageContaining("retry.enabled is true and retry.budget is above 0"));
	}

}
