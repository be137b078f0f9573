package io.httppool.benchmarks.load;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;

import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.nio.ssl.TlsStrategy;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClientTransport;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.jspecify.annotations.Nullable;

/**
 * The peers: the JDK's {@code HttpClient}, Apache HttpClient 5 async, Jetty 12's
 * {@code HttpClient} and OkHttp, each set up the way its documentation suggests for one
 * HTTP/2 connection or a pool of 20 HTTP/1.1 connections.
 *
 * @author http-pool team
 */
final class PeerClients {

	private PeerClients() {
	}

	static LoadClient jdk(Target target) throws Exception {
		boolean h2 = target.protocol() == Target.Protocol.H2;
		java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
			.version(h2 ? java.net.http.HttpClient.Version.HTTP_2 : java.net.http.HttpClient.Version.HTTP_1_1)
			.sslContext(Tls.sslContext(target.certificate()))
			.connectTimeout(Duration.ofSeconds(5))
			.build();
		HttpRequest request = HttpRequest.newBuilder(target.uri())
			.method(target.post() ? "POST" : "GET",
					target.post() ? HttpRequest.BodyPublishers.ofByteArray(target.body())
							: HttpRequest.BodyPublishers.noBody())
			.build();
		@Nullable AsyncGate gate = h2 ? null : new AsyncGate(target.protocol().connections());
		return new LoadClient() {

			@Override
			public void send(Callback callback) {
				if (gate == null) {
					exchange(callback, null);
				}
				else {
					gate.submit(() -> exchange(callback, gate));
				}
			}

			private void exchange(Callback callback, @Nullable AsyncGate permit) {
				client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
					if (permit != null) {
						permit.release();
					}
					if (error != null) {
						callback.failed(error);
					}
					else {
						callback.completed(response.statusCode());
					}
				});
			}

			@Override
			public void close() {
			}

		};
	}

	static LoadClient apache(Target target) throws Exception {
		SSLContext sslContext = Tls.sslContext(target.certificate());
		TlsStrategy tls = ClientTlsStrategyBuilder.create().setSslContext(sslContext).buildAsync();
		CloseableHttpAsyncClient client;
		if (target.protocol() == Target.Protocol.H2) {
			// one HTTP/2 connection per origin, multiplexed
			client = HttpAsyncClients.customHttp2().setTlsStrategy(tls).build();
		}
		else {
			client = HttpAsyncClients.custom()
				.setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
					.setTlsStrategy(tls)
					.setMaxConnTotal(target.protocol().connections())
					.setMaxConnPerRoute(target.protocol().connections())
					.setDefaultTlsConfig(TlsConfig.custom().setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1).build())
					.build())
				.build();
		}
		client.start();
		byte[] body = target.body();
		return new LoadClient() {

			@Override
			public void send(Callback callback) {
				SimpleHttpRequest request = target.post() ? SimpleRequestBuilder.post(target.uri())
					.setBody(body, ContentType.APPLICATION_OCTET_STREAM)
					.build() : SimpleRequestBuilder.get(target.uri()).build();
				client.execute(request, new FutureCallback<SimpleHttpResponse>() {

					@Override
					public void completed(SimpleHttpResponse response) {
						callback.completed(response.getCode());
					}

					@Override
					public void failed(Exception ex) {
						callback.failed(ex);
					}

					@Override
					public void cancelled() {
						callback.failed(new IllegalStateException("cancelled"));
					}

				});
			}

			@Override
			public void close() {
				client.close(CloseMode.IMMEDIATE);
			}

		};
	}

	static LoadClient jetty(Target target) throws Exception {
		SslContextFactory.Client ssl = new SslContextFactory.Client();
		ssl.setTrustStore(Tls.trustStore(target.certificate()));
		ClientConnector connector = new ClientConnector();
		connector.setSslContextFactory(ssl);
		HttpClientTransport transport = (target.protocol() == Target.Protocol.H2)
				? new HttpClientTransportOverHTTP2(new HTTP2Client(connector))
				: new HttpClientTransportOverHTTP(connector);
		org.eclipse.jetty.client.HttpClient client = new org.eclipse.jetty.client.HttpClient(transport);
		client.setMaxConnectionsPerDestination(target.protocol().connections());
		client.setMaxRequestsQueuedPerDestination(100_000);
		client.start();
		byte[] body = target.body();
		return new LoadClient() {

			@Override
			public void send(Callback callback) {
				org.eclipse.jetty.client.Request request = client.newRequest(target.uri());
				if (target.post()) {
					request.method("POST").body(new BytesRequestContent(body));
				}
				request.send(new BufferingResponseListener() {

					@Override
					public void onComplete(org.eclipse.jetty.client.Result result) {
						if (result.isFailed()) {
							callback.failed(result.getFailure());
						}
						else {
							callback.completed(result.getResponse().getStatus());
						}
					}

				});
			}

			@Override
			public void close() throws Exception {
				client.stop();
			}

		};
	}

	static LoadClient okHttp(Target target) throws Exception {
		boolean h2 = target.protocol() == Target.Protocol.H2;
		Dispatcher dispatcher = new Dispatcher();
		dispatcher.setMaxRequests(Math.max(64, target.concurrency()));
		// OkHttp opens an HTTP/1.1 connection per call in flight: the per-host limit is
		// its pool
		dispatcher.setMaxRequestsPerHost(h2 ? Math.max(5, target.concurrency()) : target.protocol().connections());
		X509TrustManager trustManager = Tls.trustManager(target.certificate());
		SSLContext sslContext = Tls.sslContext(target.certificate());
		OkHttpClient client = new OkHttpClient.Builder().dispatcher(dispatcher)
			.connectionPool(new ConnectionPool(target.protocol().connections(), 5, TimeUnit.MINUTES))
			.protocols(h2 ? List.of(okhttp3.Protocol.HTTP_2, okhttp3.Protocol.HTTP_1_1)
					: List.of(okhttp3.Protocol.HTTP_1_1))
			.sslSocketFactory(sslContext.getSocketFactory(), trustManager)
			.build();
		@Nullable RequestBody body = target.post() ? RequestBody.create(target.body(), MediaType.get("application/octet-stream"))
				: null;
		Request request = new Request.Builder().url(target.uri().toString())
			.method(target.post() ? "POST" : "GET", body)
			.build();
		return new LoadClient() {

			@Override
			public void send(Callback callback) {
				client.newCall(request).enqueue(new okhttp3.Callback() {

					@Override
					public void onResponse(Call call, Response response) {
						try (ResponseBody content = response.body()) {
							content.bytes();
							callback.completed(response.code());
						}
						catch (IOException ex) {
							callback.failed(ex);
						}
					}

					@Override
					public void onFailure(Call call, IOException ex) {
						callback.failed(ex);
					}

				});
			}

			@Override
			public void close() {
				client.dispatcher().executorService().shutdown();
				client.connectionPool().evictAll();
			}

		};
	}

}
