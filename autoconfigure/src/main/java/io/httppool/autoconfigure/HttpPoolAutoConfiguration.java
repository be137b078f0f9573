package io.httppool.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.httppool.HttpPoolClientCustomizer;
import io.httppool.HttpPoolClientFactory;
import io.httppool.HttpPoolClientSettings;
import io.httppool.HttpPoolClients;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.HttpResources;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.LoopResources;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.BoundConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Auto-configuration of named, pooled HTTP clients: one {@link HttpPoolClients} registry,
 * and for every {@code http.pool.clients.<name>} a {@code <name>WebClient} and a
 * {@code <name>RestClient} bean qualified with {@code @Qualifier("<name>")}.
 *
 * @author http-pool team
 * @since 0.1.0
 */
@AutoConfiguration(after = { WebClientAutoConfiguration.class, SslAutoConfiguration.class },
		afterName = "org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration")
@ConditionalOnClass({ WebClient.class, HttpClient.class })
@EnableConfigurationProperties(HttpPoolProperties.class)
@Import({ HttpPoolClientBeansRegistrar.class, HttpPoolServiceGroupsConfiguration.class,
		HttpPoolCircuitBreakerStatesConfiguration.class })
@ImportRuntimeHints(HttpPoolRuntimeHints.class)
public final class HttpPoolAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	HttpPoolClientFactory httpPoolClientFactory(HttpPoolProperties properties, ObjectProvider<SslBundles> sslBundles,
			ObjectProvider<WebClient.Builder> webClientBuilders, ObjectProvider<RestClient.Builder> restClientBuilders,
			ObjectProvider<HttpPoolClientCustomizer> customizers,
			ObjectProvider<ReactorResourceFactory> reactorResourceFactory) {
		Duration shutdownTimeout = properties.getShutdownTimeout();
		if (shutdownTimeout == null || shutdownTimeout.isNegative()) {
			throw new InvalidHttpPoolPropertyException(HttpPoolProperties.PREFIX + ".shutdown-timeout", shutdownTimeout,
					"zero or a positive duration");
		}
		boolean dedicated = properties.getEventLoops() == HttpPoolProperties.EventLoops.DEDICATED;
		LoopResources loops = dedicated ? LoopResources.create("http-pool", LoopResources.DEFAULT_IO_WORKER_COUNT, true)
				: sharedLoops(reactorResourceFactory.getIfAvailable());
		return new HttpPoolClientFactory(loops, dedicated, sslBundles.getIfAvailable(),
				() -> webClientBuilders.getIfAvailable(WebClient::builder),
				() -> restClientBuilders.getIfAvailable(RestClient::builder), customizers.orderedStream().toList(),
				shutdownTimeout);
	}

	/**
	 * The loops of Spring Boot's {@code ReactorResourceFactory} (which starts on first
	 * use and closes them after the clients: its lifecycle phase is lower), or Reactor
	 * Netty's global ones, which that factory uses by default, when there is none.
	 */
	private static LoopResources sharedLoops(@Nullable ReactorResourceFactory factory) {
		return (factory != null) ? factory.getLoopResources() : HttpResources.get();
	}

	@Bean
	@ConditionalOnMissingBean
	HttpPoolSettingsMapper httpPoolSettingsMapper(HttpPoolProperties properties, BoundConfigurationProperties bound,
			ObjectProvider<SslBundles> sslBundles) {
		return new HttpPoolSettingsMapper(properties, bound, sslBundles.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	HttpPoolClients httpPoolClients(HttpPoolSettingsMapper mapper, HttpPoolClientFactory factory) {
		List<HttpPoolClientSettings> settings = mapper.map();
		return new HttpPoolClients(settings.stream().map(factory::create).toList());
	}

	@Bean
	HttpPoolLifecycle httpPoolLifecycle(HttpPoolClients clients, HttpPoolProperties properties) {
		return new HttpPoolLifecycle(clients, properties.getShutdownTimeout());
	}

}
