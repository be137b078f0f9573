package io.httppool.resilience;

import java.util.function.UnaryOperator;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import org.jspecify.annotations.Nullable;

/**
 * Where the Resilience4j instances of one client come from: whoever owns their
 * configuration (Resilience4j's own {@code resilience4j.*} binding over the
 * {@code http.pool.*} defaults, in the auto-configuration) builds each config, lets the
 * {@link ResiliencePolicy} add the HTTP rules it cannot express in properties (which
 * failures and statuses are retried and counted, the deadline, the budget), and registers
 * the instance.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public interface Resilience4jInstances {

	/**
	 * Return the client's circuit breaker.
	 * @param rules adds the policy's rules to the configured config
	 * @return the registered breaker, or {@code null} when the client has none
	 */
	@Nullable CircuitBreaker circuitBreaker(UnaryOperator<CircuitBreakerConfig> rules);

	/**
	 * Return the client's retry.
	 * @param rules turns the configured config into the one the policy runs
	 * @return the registered retry, or {@code null} when retries are disabled
	 */
	@Nullable Retry retry(UnaryOperator<RetryConfig> rules);

	/**
	 * Return the client's bulkhead.
	 * @return the registered bulkhead, or {@code null} for none
	 */
	@Nullable Bulkhead bulkhead();

}
