package io.httppool.hedging;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import io.httppool.HttpPoolClientCustomizer;
import io.httppool.HttpPoolClientSettings;
import io.httppool.resilience.ResiliencePolicy;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Installs a {@link HedgingExchangeFilter} on the {@code WebClient} of every client with
 * {@code hedging.enabled=true} (and of HTTP service groups of the same name), appended
 * after the resilience filter and before the adaptive concurrency limit and the client
 * guard, so that it hedges attempts. The filter is built once per client. The
 * {@code RestClient} is not hedged: a blocking call would need a second thread per hedged
 * call.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public class HttpPoolHedgingCustomizer implements HttpPoolClientCustomizer, Ordered {

	/**
	 * Order of this customizer: before the adaptive concurrency customizer, so that each
	 * hedge takes a concurrency slot of its own.
	 */
	public static final int ORDER = 100;

	private final Function<String, @Nullable ResiliencePolicy> policies;

	private final Map<String, Installed> installed = new ConcurrentHashMap<>();

	/**
	 * Create a customizer.
	 * @param policies the resilience policy of a client, whose retry budget bounds its
	 * hedges, or {@code null} when it has none (then it never hedges); asked on the first
	 * hedge, once every client is built
	 */
	public HttpPoolHedgingCustomizer(Function<String, @Nullable ResiliencePolicy> policies) {
		this.policies = policies;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public void customizeWebClient(HttpPoolClientSettings settings, WebClient.Builder builder) {
		HedgingExchangeFilter filter = installed(settings).filter;
		if (filter != null) {
			builder.filters((filters) -> {
				filters.remove(filter);
				filters.add(filter);
			});
		}
	}

	/**
	 * Return the hedging filter of a client.
	 * @param clientName the client name
	 * @return the filter, or {@code null} when the client does not hedge or its
	 * {@code WebClient} was not built yet
	 */
	public @Nullable HedgingExchangeFilter filter(String clientName) {
		Installed installed = this.installed.get(clientName);
		return (installed != null) ? installed.filter : null;
	}

	private Installed installed(HttpPoolClientSettings settings) {
		return this.installed.computeIfAbsent(settings.name(),
				(name) -> settings.hedging().enabled()
						? new Installed(new HedgingExchangeFilter(settings, new BudgetPermits(name, this.policies)))
						: Installed.NONE);
	}

	private record Installed(@Nullable HedgingExchangeFilter filter) {

		static final Installed NONE = new Installed(null);

	}

	/**
	 * Permits from the retry budget of the client's policy, looked up on first use: the
	 * policy is built while the client's builders are customized, in any order.
	 */
	private static final class BudgetPermits implements BooleanSupplier {

		private final String clientName;

		private final Function<String, @Nullable ResiliencePolicy> policies;

		private volatile @Nullable ResiliencePolicy policy;

		BudgetPermits(String clientName, Function<String, @Nullable ResiliencePolicy> policies) {
			this.clientName = clientName;
			this.policies = policies;
		}

		@Override
		public boolean getAsBoolean() {
			ResiliencePolicy policy = this.policy;
			if (policy == null) {
				policy = this.policies.apply(this.clientName);
				if (policy == null) {
					return false;
				}
				this.policy = policy;
			}
			return policy.tryAcquireRetryPermit();
		}

	}

}
