package io.httppool.concurrency;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.httppool.HttpPoolClientCustomizer;
import io.httppool.HttpPoolClientSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Installs the {@link AdaptiveConcurrencyLimit} of every client with
 * {@code concurrency.adaptive=true} as a filter of its {@code WebClient} and an
 * interceptor of its {@code RestClient} (and of HTTP service groups of the same name),
 * appended after the resilience filter and the hedging filter so that it limits attempts,
 * and before the client guard that {@code HttpPoolClientFactory} adds last. The limit,
 * the filter and the interceptor are built once per client and shared by all its
 * builders.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public class HttpPoolConcurrencyCustomizer implements HttpPoolClientCustomizer, HttpPoolConcurrencyLimits, Ordered {

	/**
	 * Order of this customizer: after the hedging customizer, so that each hedge takes a
	 * slot of its own.
	 */
	public static final int ORDER = 200;

	private final Map<String, Installed> installed = new ConcurrentHashMap<>();

	@Override
	public int getOrder() {
		return ORDER;
	}

	/**
	 * Return the adaptive limit of a client, once one of its builders has been
	 * customized.
	 * @param clientName the client name
	 * @return the limit, or {@code null} when the client has none
	 */
	public @Nullable AdaptiveConcurrencyLimit adaptiveLimit(String clientName) {
		Installed installed = this.installed.get(clientName);
		return (installed != null) ? installed.limit : null;
	}

	@Override
	public @Nullable Integer limit(String clientName) {
		AdaptiveConcurrencyLimit limit = adaptiveLimit(clientName);
		return (limit != null) ? limit.limit() : null;
	}

	@Override
	public void customizeWebClient(HttpPoolClientSettings settings, WebClient.Builder builder) {
		ConcurrencyLimitExchangeFilter filter = installed(settings).filter;
		if (filter != null) {
			builder.filters((filters) -> {
				filters.remove(filter);
				filters.add(filter);
			});
		}
	}

	@Override
	public void customizeRestClientInterceptors(HttpPoolClientSettings settings,
			List<ClientHttpRequestInterceptor> interceptors) {
		ConcurrencyLimitRequestInterceptor interceptor = installed(settings).interceptor;
		if (interceptor != null) {
			interceptors.remove(interceptor);
			interceptors.add(interceptor);
		}
	}

	private Installed installed(HttpPoolClientSettings settings) {
		return this.installed.computeIfAbsent(settings.name(), (name) -> settings.concurrency().adaptive()
				? new Installed(new AdaptiveConcurrencyLimit(settings)) : Installed.NONE);
	}

	private static final class Installed {

		static final Installed NONE = new Installed(null);

		final @Nullable AdaptiveConcurrencyLimit limit;

		final @Nullable ConcurrencyLimitExchangeFilter filter;

		final @Nullable ConcurrencyLimitRequestInterceptor interceptor;

		Installed(@Nullable AdaptiveConcurrencyLimit limit) {
			this.limit = limit;
			this.filter = (limit != null) ? new ConcurrencyLimitExchangeFilter(limit) : null;
			this.interceptor = (limit != null) ? new ConcurrencyLimitRequestInterceptor(limit) : null;
		}

	}

}
