package io.httppool.autoconfigure.health;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.httppool.health.HttpPoolHealthIndicator;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.DefaultResourceLoader;

import static org.assertj.core.api.Assertions.assertThat;

class HttpPoolHealthEnvironmentPostProcessorTests {

	private static final String ORDER = "management.endpoint.health.status.order";

	private final HttpPoolHealthEnvironmentPostProcessor postProcessor = new HttpPoolHealthEnvironmentPostProcessor();

	private final StandardEnvironment environment = new StandardEnvironment();

	@Test
	void whenNoOrderIsConfiguredThenDegradedRanksBetweenOutOfServiceAndUp() {
		this.postProcessor.postProcessEnvironment(this.environment, new SpringApplication());
		List<String> order = boundOrder();
		assertThat(order).containsExactly("DOWN", "OUT_OF_SERVICE", "DEGRADED", "UP", "UNKNOWN");
		StatusAggregator aggregator = StatusAggregator.of(order);
		assertThat(aggregator.getAggregateStatus(Set.of(Status.UP, HttpPoolHealthIndicator.DEGRADED)))
			.isEqualTo(HttpPoolHealthIndicator.DEGRADED);
		assertThat(aggregator.getAggregateStatus(Set.of(Status.OUT_OF_SERVICE, HttpPoolHealthIndicator.DEGRADED)))
			.isEqualTo(Status.OUT_OF_SERVICE);
		assertThat(aggregator.getAggregateStatus(Set.of(Status.DOWN, HttpPoolHealthIndicator.DEGRADED)))
			.isEqualTo(Status.DOWN);
	}

	@Test
	void whenTheUserConfiguredAnOrderThenItWins() {
		this.environment.getPropertySources().addFirst(new MapPropertySource("application", Map.of(ORDER, "DOWN,UP")));
		this.postProcessor.postProcessEnvironment(this.environment, new SpringApplication());
		assertThat(boundOrder()).containsExactly("DOWN", "UP");
	}

	@Test
	void whenTheUserConfiguredAnIndexedOrderThenItWins() {
		this.environment.getPropertySources()
			.addFirst(new MapPropertySource("application", Map.of(ORDER + "[0]", "DOWN", ORDER + "[1]", "UP")));
		this.postProcessor.postProcessEnvironment(this.environment, new SpringApplication());
		assertThat(boundOrder()).containsExactly("DOWN", "UP");
	}

	@Test
	void whenPostProcessedThenHttpMappingIsLeftToSpringBootWhichAnswersDegradedWith200() {
		this.postProcessor.postProcessEnvironment(this.environment, new SpringApplication());
		assertThat(Binder.get(this.environment)
			.bind("management.endpoint.health.status.http-mapping", Bindable.mapOf(String.class, Integer.class))
			.isBound()).isFalse();
		HttpCodeStatusMapper mapper = HttpCodeStatusMapper.getDefault();
		assertThat(mapper.getStatusCode(HttpPoolHealthIndicator.DEGRADED)).isEqualTo(200);
		assertThat(mapper.getStatusCode(Status.DOWN)).isEqualTo(503);
	}

	@Test
	void whenSpringBootHealthIsAbsentThenNothingIsAdded() {
		SpringApplication application = new SpringApplication();
		application.setResourceLoader(new DefaultResourceLoader(new FilteredClassLoader(Status.class)));
		this.postProcessor.postProcessEnvironment(this.environment, application);
		assertThat(this.environment.getPropertySources()
			.contains(HttpPoolHealthEnvironmentPostProcessor.PROPERTY_SOURCE_NAME)).isFalse();
		assertThat(this.environment.containsProperty(ORDER)).isFalse();
	}

	@Test
	void whenPostProcessedTwiceThenOneSource() {
		this.postProcessor.postProcessEnvironment(this.environment, new SpringApplication());
		this.postProcessor.postProcessEnvironment(this.environment, new SpringApplication());
		assertThat(this.environment.getPropertySources()
			.stream()
			.filter((source) -> source.getName().equals(HttpPoolHealthEnvironmentPostProcessor.PROPERTY_SOURCE_NAME)))
			.hasSize(1);
	}

	private List<String> boundOrder() {
		return Binder.get(this.environment).bind(ORDER, Bindable.listOf(String.class)).get();
	}

}
