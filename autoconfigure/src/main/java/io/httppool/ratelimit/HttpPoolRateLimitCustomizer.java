package io.httppool.ratelimit;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Supplier;

import io.httppool.HttpPoolClientCustomizer;
import io.httppool.HttpPoolClientSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Installs a client's {@link HttpPoolRateLimiter} on its {@code WebClient} and
 * {@code RestClient}, and on every HTTP service group of the same name, when
 * {@code rate-limit.enabled} is set. Appended to the filters and interceptors: inside the
 * resilience filter (so every attempt, retries included, is paced) and outside the client
 * guard, which the factory keeps innermost. The limiter, the filter and the interceptor
 * are built once per client and shared by all its builders.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public class HttpPoolRateLimitCustomizer implements HttpPoolClientCustomizer, RateLimitStates, AutoCloseable {

	private final Supplier<@Nullable RemoteBuckets> remoteBuckets;

	private final Map<String, Installed> installed = new ConcurrentHashMap<>();

	private final Object schedulerLock = new Object();

	private @Nullable ScheduledThreadPoolExecutor scheduler;

	/**
	 * Create a customizer.
	 * @param remoteBuckets the shared store of {@code rate-limit.store=redis} clients,
	 * asked only when the first such client is built; {@code null} when there is none
	 */
	public HttpPoolRateLimitCustomizer(Supplier<@Nullable RemoteBuckets> remoteBuckets) {
		this.remoteBuckets = remoteBuckets;
	}

	/**
	 * Return the limiter of a client, once one of its builders has been customized.
	 * @param clientName the client name
	 * @return the limiter, or {@code null} when the client has no rate limit
	 */
	public @Nullable HttpPoolRateLimiter limiter(String clientName) {
		Installed installed = this.installed.get(clientName);
		return (installed != null) ? installed.limiter : null;
	}

	/**
	 * Return every limiter built so far.
	 * @return the limiters
	 */
	public Collection<HttpPoolRateLimiter> limiters() {
		return this.installed.values().stream().map((installed) -> installed.limiter).toList();
	}

	@Override
	public @Nullable RateLimitState stateOf(String clientName) {
		HttpPoolRateLimiter limiter = limiter(clientName);
		return (limiter != null) ? limiter.state() : null;
	}

	@Override
	public void customizeWebClient(HttpPoolClientSettings settings, WebClient.Builder builder) {
		Installed installed = installed(settings);
		if (installed != null) {
			RateLimitExchangeFilter filter = installed.filter;
			builder.filters((filters) -> {
				filters.remove(filter);
				filters.add(filter);
			});
		}
	}

	@Override
	public void customizeRestClientInterceptors(HttpPoolClientSettings settings,
			List<ClientHttpRequestInterceptor> interceptors) {
		Installed installed = installed(settings);
		if (installed != null) {
			RateLimitRequestInterceptor interceptor = installed.interceptor;
			interceptors.remove(interceptor);
			interceptors.add(interceptor);
		}
	}

	private @Nullable Installed installed(HttpPoolClientSettings settings) {
		if (!settings.rateLimit().enabled()) {
			return null;
		}
		return this.installed.computeIfAbsent(settings.name(), (name) -> new Installed(
				new HttpPoolRateLimiter(name, settings.rateLimit(), scheduler(), remoteBuckets(settings))));
	}

	private @Nullable RemoteBuckets remoteBuckets(HttpPoolClientSettings settings) {
		if (settings.rateLimit().store() != HttpPoolClientSettings.RateLimitStore.REDIS) {
			return null;
		}
		RemoteBuckets buckets = this.remoteBuckets.get();
		if (buckets == null) {
			throw new IllegalStateException("http.pool.clients." + settings.name()
					+ ".rate-limit.store is redis but no RemoteBuckets bean is defined (is"
					+ " HttpPoolRateLimitAutoConfiguration excluded?)");
		}
		return buckets;
	}

	private ScheduledExecutorService scheduler() {
		synchronized (this.schedulerLock) {
			if (this.scheduler == null) {
				ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, (task) -> {
					Thread thread = new Thread(task, "http-pool-rate-limit");
					thread.setDaemon(true);
					return thread;
				});
				// a cancelled wait must not hold its task until the wait would have ended
				scheduler.setRemoveOnCancelPolicy(true);
				this.scheduler = scheduler;
			}
			return this.scheduler;
		}
	}

	/**
	 * Stop the scheduler that wakes waiting calls up. Calls still waiting go at once, to
	 * meet the client's shutdown (which refuses them, typed) rather than hang.
	 */
	@Override
	public void close() {
		List<Runnable> pending;
		synchronized (this.schedulerLock) {
			pending = (this.scheduler != null) ? this.scheduler.shutdownNow() : List.of();
		}
		pending.forEach(Runnable::run);
	}

	private static final class Installed {

		final HttpPoolRateLimiter limiter;

		final RateLimitExchangeFilter filter;

		final RateLimitRequestInterceptor interceptor;

		Installed(HttpPoolRateLimiter limiter) {
			this.limiter = limiter;
			this.filter = new RateLimitExchangeFilter(limiter);
			this.interceptor = new RateLimitRequestInterceptor(limiter);
		}

	}

}
