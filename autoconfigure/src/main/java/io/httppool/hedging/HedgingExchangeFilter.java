package io.httppool.hedging;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

import io.httppool.HttpPoolClientSettings;
import io.httppool.resilience.ResiliencePolicy;
import reactor.core.publisher.Mono;

import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;

/**
 * Hedges the idempotent requests of a client's {@code WebClient}: when an attempt got no
 * answer after {@code hedging.delay} (or, without one, the 95th percentile of the
 * client's recent response times), the same request is sent a second time, on another
 * connection (HTTP/1.1) or another stream (HTTP/2); the first answer wins and the other
 * attempt is cancelled, which closes its HTTP/1.1 connection or resets its HTTP/2 stream.
 * Each hedge takes a permit from the client's retry budget, so retries and hedges
 * together stay within {@code retry.budget} of first attempts and hedging can never
 * double the load. Non-idempotent requests (the rule of
 * {@link ResiliencePolicy#isIdempotent}) pass through untouched.
 *
 * <p>
 * Installed after the resilience filter, so it hedges each attempt: the deadline, the
 * bulkhead and the circuit breaker see one outcome (the winner's), a failure of both
 * attempts is retried like any other, and the filters after it (the adaptive concurrency
 * limit, the client guard) run once per attempt. Built once per client; per call it
 * allocates the race of its attempts only when it hedges.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public final class HedgingExchangeFilter implements ExchangeFilterFunction {

	/**
	 * Percentile of recent response times used as the delay when none is configured.
	 */
	public static final double DELAY_PERCENTILE = 95.0;

	private final String clientName;

	private final long fixedDelayNanos;

	private final LatencyQuantile latencies = new LatencyQuantile(DELAY_PERCENTILE);

	private final BooleanSupplier permits;

	private final LongAdder sent = new LongAdder();

	private final LongAdder won = new LongAdder();

	private final LongAdder skipped = new LongAdder();

	/**
	 * Create a filter.
	 * @param settings the client's settings, {@code hedging.*} among them
	 * @param permits takes one permit for a hedge from the client's retry budget, for
	 * example {@link ResiliencePolicy#tryAcquireRetryPermit()}
	 */
	public HedgingExchangeFilter(HttpPoolClientSettings settings, BooleanSupplier permits) {
		Duration delay = settings.hedging().delay();
		this.clientName = settings.name();
		this.fixedDelayNanos = (delay != null) ? delay.toNanos() : -1;
		this.permits = permits;
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		if (!ResiliencePolicy.isIdempotent(request.method(), request.headers())) {
			return next.exchange(request);
		}
		return Mono.defer(() -> {
			long delayNanos = delayNanos();
			if (delayNanos < 0) {
				long start = System.nanoTime();
				return next.exchange(request).doOnNext((response) -> record(System.nanoTime() - start));
			}
			return Mono.create((sink) -> new HedgedExchange(this, request, next, sink).start(delayNanos));
		});
	}

	/**
	 * Return the wait before a hedge.
	 * @return the delay in nanoseconds, or -1 while there is no configured delay and too
	 * few samples to estimate one
	 */
	long delayNanos() {
		return (this.fixedDelayNanos >= 0) ? this.fixedDelayNanos : this.latencies.valueNanos();
	}

	/**
	 * Record how long an attempt took until its answer, or, for one cancelled because the
	 * other answered first, a lower bound of its response time (at most the delay).
	 * @param nanos the time in nanoseconds
	 */
	void record(long nanos) {
		if (this.fixedDelayNanos < 0) {
			this.latencies.record(nanos);
		}
	}

	/**
	 * Take a permit for a hedge, counting the hedge as sent or, without a permit, as
	 * skipped.
	 * @return whether the hedge may be sent
	 */
	boolean tryAcquireHedge() {
		boolean permitted = this.permits.getAsBoolean();
		((permitted) ? this.sent : this.skipped).increment();
		return permitted;
	}

	void hedgeWon() {
		this.won.increment();
	}

	/**
	 * Return the hedges sent since the client started: the delay passed without an answer
	 * and the retry budget gave a permit.
	 * @return the count
	 */
	public long hedgesSent() {
		return this.sent.sum();
	}

	/**
	 * Return the hedges that answered before the attempt they hedged.
	 * @return the count
	 */
	public long hedgesWon() {
		return this.won.sum();
	}

	/**
	 * Return the hedges not sent for want of a permit from the retry budget.
	 * @return the count
	 */
	public long hedgesSkipped() {
		return this.skipped.sum();
	}

	String clientName() {
		return this.clientName;
	}

	@Override
	public String toString() {
		return "HedgingExchangeFilter[" + this.clientName + "]";
	}

}
