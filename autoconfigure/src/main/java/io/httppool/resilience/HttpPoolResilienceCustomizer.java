package io.httppool.resilience;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.httppool.HttpPoolClientCustomizer;
import io.httppool.HttpPoolClientSettings;
import io.httppool.HttpPoolProtocol;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.client.HttpClient;

import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Installs a client's {@link ResiliencePolicy} as the outermost filter of its
 * {@code WebClient} and the outermost interceptor of its {@code RestClient}, and of every
 * HTTP service group of the same name. The policy, the filter and the interceptor are
 * built once per client and shared by all its builders. On the Reactor Netty client it
 * reports HTTP/2 streams that a GOAWAY left unprocessed as
 * {@link io.httppool.HttpPoolStreamNotProcessedException}, so that they are retried.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public class HttpPoolResilienceCustomizer implements HttpPoolClientCustomizer, AutoCloseable {

	private final Function<HttpPoolClientSettings, @Nullable ResiliencePolicy> policyFactory;

	private final Map<String, Installed> installed = new ConcurrentHashMap<>();

	// the deadlines of every client of this customizer: one timer thread, started with
	// the first deadline
	private final DeadlineTimer timer = new DeadlineTimer();

	/**
	 * Create a customizer.
	 * @param policyFactory builds the policy of a client, or returns {@code null} when
	 * the client needs none; called once per client
	 */
	public HttpPoolResilienceCustomizer(Function<HttpPoolClientSettings, @Nullable ResiliencePolicy> policyFactory) {
		this.policyFactory = policyFactory;
	}

	/**
	 * Return the policy of a client, once one of its builders has been customized.
	 * @param clientName the client name
	 * @return the policy, or {@code null}
	 */
	public @Nullable ResiliencePolicy policy(String clientName) {
		Installed installed = this.installed.get(clientName);
		return (installed != null) ? installed.policy : null;
	}

	@Override
	public HttpClient customizeHttpClient(HttpPoolClientSettings settings, HttpClient httpClient) {
		if (installed(settings).policy == null || settings.protocol() == HttpPoolProtocol.HTTP1) {
			return httpClient;
		}
		// once per connection, on its parent (TCP) channel: nothing per request
		return httpClient.observe(Http2StreamFailureHandler.installer(settings.name()));
	}

	@Override
	public void customizeWebClient(HttpPoolClientSettings settings, WebClient.Builder builder) {
		Installed installed = installed(settings);
		if (installed.filter != null) {
			ResilientExchangeFilter filter = installed.filter;
			builder.filters((filters) -> {
				filters.remove(filter);
				filters.add(0, filter);
			});
		}
	}

	@Override
	public void customizeRestClientInterceptors(HttpPoolClientSettings settings,
			List<ClientHttpRequestInterceptor> interceptors) {
		Installed installed = installed(settings);
		if (installed.interceptor != null) {
			ResilientRequestInterceptor interceptor = installed.interceptor;
			interceptors.remove(interceptor);
			interceptors.add(0, interceptor);
		}
	}

	/**
	 * Stop the timer of the clients' deadlines. Call it after the clients were shut down.
	 */
	@Override
	public void close() {
		this.timer.dispose();
	}

	private Installed installed(HttpPoolClientSettings settings) {
		return this.installed.computeIfAbsent(settings.name(), (name) -> {
			ResiliencePolicy policy = this.policyFactory.apply(settings);
			return (policy != null && policy.isActive()) ? new Installed(policy, this.timer) : Installed.NONE;
		});
	}

	private static final class Installed {

		static final Installed NONE = new Installed();

		final @Nullable ResiliencePolicy policy;

		final @Nullable ResilientExchangeFilter filter;

		final @Nullable ResilientRequestInterceptor interceptor;

		Installed(ResiliencePolicy policy, DeadlineTimer timer) {
			this.policy = policy;
			this.filter = new ResilientExchangeFilter(policy, timer);
			this.interceptor = new ResilientRequestInterceptor(policy);
		}

		private Installed() {
			this.policy = null;
			this.filter = null;
			this.interceptor = null;
		}

	}

}
