package io.httppool.autoconfigure.metrics;

import java.time.Duration;

import io.httppool.HttpPoolAttemptRecorder;
import io.httppool.HttpPoolClientSettings;
import io.httppool.HttpPoolClients;
import io.httppool.autoconfigure.HttpPoolAutoConfiguration;
import io.httppool.metrics.HttpPoolMeters;
import io.httppool.test.TestUpstream;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.netty.http.HttpProtocol;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

class HttpPoolMetricsAutoConfigurationTests {

	private static TestUpstream upstream;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HttpPoolAutoConfiguration.class,
				HttpPoolMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
		.withPropertyValues("http.pool.shutdown-timeout=1s", "http.pool.clients.stt.base-url=" + upstream.baseUrl(),
				"http.pool.clients.stt.protocol=h2c", "http.pool.clients.legacy.base-url=" + upstream.baseUrl(),
				"http.pool.clients.legacy.protocol=http1");

	private final ApplicationContextRunner withoutSpringBootMetrics = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(HttpPoolAutoConfiguration.class, HttpPoolMetricsAutoConfiguration.class))
		.withPropertyValues("http.pool.clients.stt.base-url=http://127.0.0.1:9");

	@BeforeAll
	static void startUpstream() {
		upstream = TestUpstream.speaking(HttpProtocol.H2C, HttpProtocol.HTTP11).start();
	}

	@AfterAll
	static void stopUpstream() {
		upstream.close();
	}

	@Test
	void whenDefaultsThenEveryClientHasPoolGaugesAndCounterWithDescriptions() {
		this.runner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			for (String client : new String[] { "stt", "legacy" }) {
				for (String name : new String[] { HttpPoolMeters.CONNECTIONS_ACTIVE, HttpPoolMeters.CONNECTIONS_IDLE,
						HttpPoolMeters.CONNECTIONS_PENDING, HttpPoolMeters.CONNECTIONS_MAX, HttpPoolMeters.UTILIZATION,
						HttpPoolMeters.CONNECTIONS_OPENED }) {
					Meter meter = registry.find(name).tag(HttpPoolMeters.CLIENT, client).meter();
					assertThat(meter).as(name + " of " + client).isNotNull();
					assertThat(meter.getId().getDescription()).as(name).isNotBlank();
				}
			}
			assertThat(registry.find(HttpPoolMeters.STREAMS_ACTIVE).tag(HttpPoolMeters.CLIENT, "stt").gauge())
				.isNotNull();
			assertThat(registry.find(HttpPoolMeters.STREAMS_ACTIVE).tag(HttpPoolMeters.CLIENT, "legacy").gauge())
				.as("HTTP/1.1 clients have no streams")
				.isNull();
			assertThat(registry.get(HttpPoolMeters.CONNECTIONS_MAX).tag(HttpPoolMeters.CLIENT, "stt").gauge().value())
				.isEqualTo(50.0);
		});
	}

	@Test
	void whenWebClientAndRestClientSendRequestsThenTimerCountsEveryAttemptTheServerSaw() {
		this.runner.run((context) -> {
			int before = upstream.requests();
			WebClient webClient = context.getBean("sttWebClient", WebClient.class);
			RestClient restClient = context.getBean("sttRestClient", RestClient.class);
			for (int i = 0; i < 3; i++) {
				webClient.get().uri("/a").retrieve().toBodilessEntity().block(Duration.ofSeconds(10));
			}
			for (int i = 0; i < 2; i++) {
				restClient.post().uri("/b").body("x").retrieve().toBodilessEntity();
			}
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			Timer gets = registry.get(HttpPoolMeters.REQUESTS)
				.tags(HttpPoolMeters.CLIENT, "stt", HttpPoolMeters.METHOD, "GET", HttpPoolMeters.STATUS, "200",
						HttpPoolMeters.OUTCOME, "SUCCESS")
				.timer();
			Timer posts = registry.get(HttpPoolMeters.REQUESTS)
				.tags(HttpPoolMeters.CLIENT, "stt", HttpPoolMeters.METHOD, "POST", HttpPoolMeters.STATUS, "200")
				.timer();
			assertThat(gets.count()).isEqualTo(3);
			assertThat(posts.count()).isEqualTo(2);
			assertThat(gets.count() + posts.count()).isEqualTo(upstream.requests() - before);
			assertThat(gets.takeSnapshot().histogramCounts()).hasSize(HttpPoolMeters.REQUEST_SLO_BOUNDARIES.size());
			HttpPoolClients clients = context.getBean(HttpPoolClients.class);
			assertThat(registry.get(HttpPoolMeters.CONNECTIONS_OPENED)
				.tag(HttpPoolMeters.CLIENT, "stt")
				.functionCounter()
				.count()).isEqualTo(clients.get("stt").state().connectionsOpened()).isEqualTo(1.0);
		});
	}

	@Test
	void whenMetricsOfThePrefixAreDisabledThenNoHttpPoolMeter() {
		this.runner.withPropertyValues("management.metrics.enable.http.pool=false").run((context) -> {
			context.getBean("sttWebClient", WebClient.class)
				.get()
				.uri("/a")
				.retrieve()
				.toBodilessEntity()
				.block(Duration.ofSeconds(10));
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.getMeters()).extracting((meter) -> meter.getId().getName())
				.noneMatch((name) -> name.startsWith("http.pool"));
		});
	}

	@Test
	void whenClientsAreShutDownThenTheirMetersAreRemoved() {
		this.runner.run((context) -> {
			context.getBean("legacyWebClient", WebClient.class)
				.get()
				.uri("/a")
				.retrieve()
				.toBodilessEntity()
				.block(Duration.ofSeconds(10));
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.find(HttpPoolMeters.REQUESTS).tag(HttpPoolMeters.CLIENT, "legacy").timers()).hasSize(1);
			context.getBean(HttpPoolClients.class).shutdown(Duration.ofSeconds(2));
			assertThat(registry.getMeters()).extracting((meter) -> meter.getId().getName())
				.noneMatch((name) -> name.startsWith("http.pool"));
		});
	}

	@Test
	void whenGlobalRegistryIsNotUsedThenMetersAreStillBoundToTheRegistryBean() {
		this.runner.withPropertyValues("management.metrics.use-global-registry=false").run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.find(HttpPoolMeters.UTILIZATION).tag(HttpPoolMeters.CLIENT, "stt").gauge()).isNotNull();
			assertThat(
					Metrics.globalRegistry.find(HttpPoolMeters.UTILIZATION).tag(HttpPoolMeters.CLIENT, "stt").gauge())
				.isNull();
		});
	}

	@Test
	void whenUserDefinesTheBeansThenAutoConfigurationBacksOff() {
		HttpPoolRequestMetricsCustomizer customizer = new HttpPoolRequestMetricsCustomizer(Metrics.globalRegistry) {

			@Override
			public @Nullable HttpPoolAttemptRecorder attemptRecorder(HttpPoolClientSettings settings) {
				return null;
			}

		};
		HttpPoolsMeterBinder binder = new HttpPoolsMeterBinder(new HttpPoolClients(java.util.List.of()));
		this.runner.withBean(HttpPoolRequestMetricsCustomizer.class, () -> customizer)
			.withBean(HttpPoolsMeterBinder.class, () -> binder)
			.run((context) -> {
				assertThat(context).getBean(HttpPoolRequestMetricsCustomizer.class).isSameAs(customizer);
				assertThat(context).getBean(HttpPoolsMeterBinder.class).isSameAs(binder);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				context.getBean("sttWebClient", WebClient.class)
					.get()
					.uri("/a")
					.retrieve()
					.toBodilessEntity()
					.block(Duration.ofSeconds(10));
				assertThat(registry.find(HttpPoolMeters.REQUESTS).timers()).isEmpty();
				assertThat(registry.find(HttpPoolMeters.UTILIZATION).gauges()).isEmpty();
			});
	}

	@Test
	void whenMicrometerIsAbsentThenClientsWorkWithoutMeters() {
		this.withoutSpringBootMetrics.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(HttpPoolClients.class)
				.doesNotHaveBean(HttpPoolRequestMetricsCustomizer.class)
				.doesNotHaveBean(HttpPoolsMeterBinder.class));
	}

	@Test
	void whenSpringBootMetricsIsAbsentThenNoMeters() {
		this.withoutSpringBootMetrics.withClassLoader(new FilteredClassLoader(MetricsAutoConfiguration.class))
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(HttpPoolClients.class)
				.doesNotHaveBean(HttpPoolRequestMetricsCustomizer.class)
				.doesNotHaveBean(HttpPoolsMeterBinder.class));
	}

	@Test
	void whenOnlyAMeterRegistryBeanIsPresentThenMetersAreBound() {
		this.withoutSpringBootMetrics.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> assertThat(context).hasSingleBean(HttpPoolRequestMetricsCustomizer.class)
				.hasSingleBean(HttpPoolsMeterBinder.class));
	}

	@Test
	void whenThereIsNoMeterRegistryThenNoMeters() {
		this.withoutSpringBootMetrics.run((context) -> assertThat(context).hasSingleBean(HttpPoolClients.class)
			.doesNotHaveBean(HttpPoolRequestMetricsCustomizer.class)
			.doesNotHaveBean(HttpPoolsMeterBinder.class));
	}

}
