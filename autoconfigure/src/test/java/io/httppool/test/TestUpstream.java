package io.httppool.test;

import java.io.File;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import io.netty.channel.Channel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;

/**
 * A real HTTP server on a loopback port chosen by the OS, for tests. It counts the TCP
 * connections it accepted, how many are open, and the protocol of every request, so tests
 * assert what the server saw. Close it after the test ({@link AutoCloseable}).
 */
public final class TestUpstream implements AutoCloseable {

	private static volatile X509Bundle certificate;

	private final DisposableServer server;

	private final boolean tls;

	private final AtomicInteger connectionsAccepted = new AtomicInteger();

	private final Set<Channel> openConnections = ConcurrentHashMap.newKeySet();

	private final AtomicInteger requests = new AtomicInteger();

	private final Map<String, AtomicInteger> protocols = new ConcurrentHashMap<>();

	private TestUpstream(Builder builder) {
		this.tls = builder.tls;
		BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> handler = builder.handler;
		HttpServer server = HttpServer.create();
		if (builder.loops != null) {
			server = server.runOn(builder.loops);
		}
		server = server.host("127.0.0.1")
			.port(0)
			.protocol(builder.protocols)
			.doOnChannelInit((observer, channel, address) -> {
				this.connectionsAccepted.incrementAndGet();
				this.openConnections.add(channel);
				channel.closeFuture().addListener((future) -> this.openConnections.remove(channel));
				if (builder.idleClose != null) {
					long millis = builder.idleClose.toMillis();
					channel.pipeline()
						.addFirst("testIdleClose",
								new IdleStateHandler(0, 0, millis, java.util.concurrent.TimeUnit.MILLISECONDS) {
									@Override
									protected void channelIdle(io.netty.channel.ChannelHandlerContext ctx,
											IdleStateEvent evt) {
										ctx.close();
									}
								});
				}
			})
			.handle((request, response) -> {
				this.requests.incrementAndGet();
				this.protocols.computeIfAbsent(request.protocol(), (key) -> new AtomicInteger()).incrementAndGet();
				return handler.apply(request, response);
			});
		if (builder.idleTimeout != null) {
			server = server.idleTimeout(builder.idleTimeout);
		}
		if (builder.tls) {
			X509Bundle bundle = certificate();
			boolean h2 = Set.of(builder.protocols).contains(HttpProtocol.H2);
			server = server.secure((spec) -> {
				try {
					spec.sslContext(h2 ? Http2SslContextSpec.forServer(bundle.toKeyManagerFactory())
							: Http11SslContextSpec.forServer(bundle.toKeyManagerFactory()));
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			});
		}
		this.server = server.bindNow(Duration.ofSeconds(10));
	}

	/**
	 * Start building an upstream speaking the given protocols.
	 * @param protocols the protocols
	 * @return a builder
	 */
	public static Builder speaking(HttpProtocol... protocols) {
		return new Builder(protocols);
	}

	/**
	 * Self-signed certificate for {@code localhost} and {@code 127.0.0.1}, shared by all
	 * TLS upstreams of the test JVM.
	 * @return the certificate and its key
	 */
	public static X509Bundle certificate() {
		if (certificate == null) {
			synchronized (TestUpstream.class) {
				if (certificate == null) {
					try {
						certificate = new CertificateBuilder().subject("CN=localhost")
							.addSanDnsName("localhost")
							.addSanIpAddress("127.0.0.1")
							.setIsCertificateAuthority(true)
							.ecp256()
							.buildSelfSigned();
					}
					catch (Exception ex) {
						throw new IllegalStateException(ex);
					}
				}
			}
		}
		return certificate;
	}

	/**
	 * Properties defining a PEM SSL bundle of the given name that trusts
	 * {@link #certificate()}.
	 * @param bundleName the bundle name
	 * @return the properties, as {@code key=value}
	 */
	public static String[] trustBundleProperties(String bundleName) {
		try {
			File pem = certificate().toTempCertChainPem();
			pem.deleteOnExit();
			return new String[] {
					"spring.ssl.bundle.pem." + bundleName + ".truststore.certificate=file:" + pem.getAbsolutePath() };
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	public int port() {
		return this.server.port();
	}

	public String baseUrl() {
		return (this.tls ? "https" : "http") + "://" + (this.tls ? "localhost" : "127.0.0.1") + ":" + port();
	}

	/**
	 * TCP connections accepted since start.
	 * @return the count
	 */
	public int connectionsAccepted() {
		return this.connectionsAccepted.get();
	}

	/**
	 * TCP connections open right now.
	 * @return the count
	 */
	public int openConnections() {
		return this.openConnections.size();
	}

	public int requests() {
		return this.requests.get();
	}

	/**
	 * Requests received per protocol name ({@code HTTP/2.0}, {@code HTTP/1.1}).
	 * @return the counts
	 */
	public Map<String, Integer> requestsByProtocol() {
		Map<String, Integer> result = new java.util.TreeMap<>();
		this.protocols.forEach((protocol, count) -> result.put(protocol, count.get()));
		return result;
	}

	@Override
	public void close() {
		this.server.disposeNow(Duration.ofSeconds(5));
	}

	/**
	 * Builder of a {@link TestUpstream}.
	 */
	public static final class Builder {

		private final HttpProtocol[] protocols;

		private boolean tls;

		private Duration idleClose;

		private LoopResources loops;

		private Duration idleTimeout;

		private BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> handler = (request,
				response) -> response.sendString(Mono.just("ok"));

		private Builder(HttpProtocol[] protocols) {
			this.protocols = protocols;
		}

		public Builder tls() {
			this.tls = true;
			return this;
		}

		/**
		 * Close connections idle for the given time, as servers and load balancers do.
		 * @param idle the idle time
		 * @return this
		 */
		public Builder closeIdleAfter(Duration idle) {
			this.idleClose = idle;
			return this;
		}

		/**
		 * Run on the given event loops instead of Reactor Netty's global ones, so that a
		 * test can tell the server's threads from the client's.
		 * @param loops the event loops (the caller disposes them)
		 * @return this
		 */
		public Builder runOn(LoopResources loops) {
			this.loops = loops;
			return this;
		}

		/**
		 * Reactor Netty's own keep-alive timeout ({@code HttpServer.idleTimeout}): a
		 * connection idle for this long after a response is closed.
		 * @param idle the idle time
		 * @return this
		 */
		public Builder idleTimeout(Duration idle) {
			this.idleTimeout = idle;
			return this;
		}

		public Builder handler(BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> handler) {
			this.handler = handler;
			return this;
		}

		/**
		 * Answer {@code ok} after the given delay.
		 * @param delay the delay
		 * @return this
		 */
		public Builder delay(Duration delay) {
			return handler((request, response) -> response.sendString(Mono.delay(delay).thenReturn("ok")));
		}

		public TestUpstream start() {
			return new TestUpstream(this);
		}

	}

}
