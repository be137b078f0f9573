package io.httppool.benchmarks.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.httppool.benchmarks.StarterContext;
import io.httppool.benchmarks.StarterContext.Layers;
import io.netty.buffer.Unpooled;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.Http2AllocationStrategy;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The Reactor Netty based clients: raw, Spring's plain {@code WebClient}, Boot's
 * auto-configured {@code WebClient.Builder} and the starter's clients, all on the same
 * kind of pool (one HTTP/2 connection, or 20 HTTP/1.1 connections), and the anti-pattern
 * of a new client per request.
 *
 * @author http-pool team
 */
final class ReactorClients {

	private ReactorClients() {
	}

	static ConnectionProvider pool(String name, Target target) {
		int connections = target.protocol().connections();
		ConnectionProvider.Builder builder = ConnectionProvider.builder(name)
			.maxConnections(connections)
			.pendingAcquireMaxCount(100_000)
			.pendingAcquireTimeout(Duration.ofSeconds(30));
		if (target.protocol() == Target.Protocol.H2) {
			builder.allocationStrategy(Http2AllocationStrategy.builder()
				.maxConnections(1)
				.minConnections(1)
				.maxConcurrentStreams(1024)
				.build());
		}
		return builder.build();
	}

	static HttpClient httpClient(@Nullable ConnectionProvider provider, Target target) {
		HttpClient client = (provider != null) ? HttpClient.create(provider) : HttpClient.newConnection();
		if (target.protocol() == Target.Protocol.H2) {
			Http2SslContextSpec spec = Http2SslContextSpec.forClient()
				.configure((builder) -> builder.trustManager(target.certificate().toFile()));
			return client.protocol(HttpProtocol.H2).secure((ssl) -> ssl.sslContext(spec));
		}
		Http11SslContextSpec spec = Http11SslContextSpec.forClient()
			.configure((builder) -> builder.trustManager(target.certificate().toFile()));
		return client.protocol(HttpProtocol.HTTP11).secure((ssl) -> ssl.sslContext(spec));
	}

	static LoadClient raw(Target target) {
		ConnectionProvider provider = pool("raw", target);
		HttpClient client = httpClient(provider, target).baseUrl(target.baseUrl());
		byte[] body = target.body();
		return new LoadClient() {

			@Override
			public void send(Callback callback) {
				HttpClient.ResponseReceiver<?> request = target.post()
						? client.post().uri(target.path()).send(Mono.fromCallable(() -> Unpooled.wrappedBuffer(body)))
						: client.get().uri(target.path());
				request.responseSingle((response,
						content) -> content.asString().defaultIfEmpty("").map((ignored) -> response.status().code()))
					.subscribe(callback::completed, callback::failed);
			}

			@Override
			public void close() {
				provider.dispose();
			}

		};
	}

	static LoadClient plainWebClient(Target target) {
		ConnectionProvider provider = pool("plain", target);
		WebClient client = WebClient.builder()
			.clientConnector(new ReactorClientHttpConnector(httpClient(provider, target)))
			.baseUrl(target.baseUrl())
			.build();
		return webClient(client, target, provider::dispose);
	}

	static LoadClient bootWebClient(Target target) {
		ConfigurableApplicationContext context = StarterContext.start(List.of());
		ConnectionProvider provider = pool("boot", target);
		WebClient client = context.getBean(WebClient.Builder.class)
			.clientConnector(new ReactorClientHttpConnector(httpClient(provider, target)))
			.baseUrl(target.baseUrl())
			.build();
		return webClient(client, target, () -> {
			provider.dispose();
			context.close();
		});
	}

	static LoadClient starterWebClient(Target target, Layers layers) {
		ConfigurableApplicationContext context = starter(target, layers);
		WebClient client = context.getBean(StarterContext.CLIENT + "WebClient", WebClient.class);
		return webClient(client, target, context::close);
	}

	static LoadClient starterRestClient(Target target, Layers layers) {
		ConfigurableApplicationContext context = starter(target, layers);
		RestClient client = context.getBean(StarterContext.CLIENT + "RestClient", RestClient.class);
		byte[] body = target.body();
		return new LoadClient() {

			@Override
			public boolean blocking() {
				return true;
			}

			@Override
			public int call() {
				RestClient.RequestBodySpec request = client.method(target.post() ? HttpMethod.POST : HttpMethod.GET)
					.uri(target.path());
				if (target.post()) {
					request.body(body);
				}
				ResponseEntity<String> response = request.retrieve().toEntity(String.class);
				return response.getStatusCode().value();
			}

			@Override
			public void close() {
				context.close();
			}

		};
	}

	/**
	 * New client, new TLS connection and handshake per request, closed after it: what an
	 * application that builds a {@code WebClient} per call pays.
	 */
	static LoadClient newClientPerRequest(Target target) {
		return new LoadClient() {

			@Override
			public void send(Callback callback) {
				WebClient client = WebClient.builder()
					.clientConnector(new ReactorClientHttpConnector(httpClient(null, target)))
					.baseUrl(target.baseUrl())
					.build();
				exchange(client, target, target.body()).subscribe(callback::completed, callback::failed);
			}

			@Override
			public void close() {
			}

		};
	}

	private static ConfigurableApplicationContext starter(Target target, Layers layers) {
		String prefix = "http.pool.clients." + StarterContext.CLIENT + ".";
		List<String> properties = new ArrayList<>();
		properties.add("spring.ssl.bundle.pem.nginx.truststore.certificate=file:" + target.certificate());
		properties.add(prefix + "ssl.bundle=nginx");
		properties.add(prefix + "base-url=" + target.baseUrl());
		properties.add(prefix + "protocol=" + ((target.protocol() == Target.Protocol.H2) ? "h2" : "http1"));
		properties.add(prefix + "max-connections=" + target.protocol().connections());
		properties.add(prefix + "http2.max-concurrent-streams=1024");
		properties.add(prefix + "pending-acquire-max-count=100000");
		properties.add(prefix + "pending-acquire-timeout=30s");
		properties.addAll(layers.properties());
		return StarterContext.start(properties);
	}

	private static LoadClient webClient(WebClient client, Target target, Runnable closer) {
		byte[] body = target.body();
		return new LoadClient() {

			@Override
			public void send(Callback callback) {
				exchange(client, target, body).subscribe(callback::completed, callback::failed);
			}

			@Override
			public void close() {
				closer.run();
			}

		};
	}

	private static Mono<Integer> exchange(WebClient client, Target target, byte[] body) {
		WebClient.RequestBodySpec request = client.method(target.post() ? HttpMethod.POST : HttpMethod.GET)
			.uri(target.path());
		WebClient.RequestHeadersSpec<?> ready = target.post() ? request.bodyValue(body) : request;
		return ready.retrieve().toEntity(String.class).map((response) -> response.getStatusCode().value());
	}

}
