package io.httppool.sample.simulator;

import java.util.Map;

import io.httppool.sample.SampleProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Starts the {@link SttSimulator} when the application context refreshes, before any bean
 * exists, unless a base URL is configured for the {@code transcription} client, and
 * points the client at it: {@code http.pool.clients.transcription.base-url} and
 * {@code protocol=h2c}. The simulator is a bean named {@code sttSimulator}, closed with
 * the context after the pools. Registered in {@code META-INF/spring.factories}.
 *
 * @author http-pool team
 */
public class EmbeddedSimulatorInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	static final String CLIENT = "http.pool.clients.transcription";

	static final String BEAN_NAME = "sttSimulator";

	private static final Log logger = LogFactory.getLog(EmbeddedSimulatorInitializer.class);

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		// decide when the context refreshes: by then every initializer has added its
		// properties (a test's @DynamicPropertySource too), and no client exists yet
		context
			.addBeanFactoryPostProcessor((beanFactory) -> startUnlessConfigured(context.getEnvironment(), beanFactory));
	}

	private void startUnlessConfigured(ConfigurableEnvironment environment,
			ConfigurableListableBeanFactory beanFactory) {
		Binder binder = Binder.get(environment);
		if (StringUtils.hasText(binder.bind(CLIENT + ".base-url", String.class).orElse(null))) {
			return;
		}
		SampleProperties.Upstream upstream = binder.bind("sample.upstream", SampleProperties.Upstream.class)
			.orElseGet(SampleProperties.Upstream::new);
		SttSimulator.Settings settings = new SttSimulator.Settings(upstream.getRealTimeFactor(),
				upstream.getErrorRate(), upstream.getThrottleRate(), upstream.getRetryAfter(), null);
		SttSimulator simulator = switch (upstream.getEngine()) {
			case SIMULATED -> SttSimulator.start(settings);
			case SPHINX -> startSphinx(settings, upstream.getRecognizers());
		};
		environment.getPropertySources()
			.addFirst(new MapPropertySource("sttSimulator",
					Map.of(CLIENT + ".base-url", simulator.baseUrl(), CLIENT + ".protocol", "h2c")));
		beanFactory.registerSingleton(BEAN_NAME, simulator);
		// destroyed with the other beans, so after the pools have stopped sending to it
		((DefaultSingletonBeanRegistry) beanFactory).registerDisposableBean(BEAN_NAME, simulator::close);
		logger.info("Speech-to-text upstream (" + simulator.model() + ") listening on " + simulator.baseUrl()
				+ " (HTTP/2 over clear text). Set HTTP_POOL_CLIENTS_TRANSCRIPTION_BASEURL to use another "
				+ "OpenAI-compatible provider instead.");
	}

	private static SttSimulator startSphinx(SttSimulator.Settings settings, int recognizers) {
		if (recognizers < 1) {
			throw new IllegalArgumentException("sample.upstream.recognizers must be at least 1 but was " + recognizers);
		}
		return SttSimulator.start(settings, new SphinxEngine(recognizers), recognizers);
	}

}
