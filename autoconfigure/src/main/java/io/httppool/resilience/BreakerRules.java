package io.httppool.resilience;

import java.io.IOException;
import java.util.function.Predicate;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.httppool.HttpPoolDeadlineExceededException;

import org.springframework.http.client.ClientHttpResponse;
import org.springframework.web.reactive.function.client.ClientResponse;

/**
 * What one client's Resilience4j {@code CircuitBreaker} counts, and the one rule it
 * cannot express: a half-open breaker reopens at the first failed probe (Resilience4j
 * waits until all {@code permitted-number-of-calls-in-half-open-state} probes ended and
 * compares their failure rate with the threshold).
 */
final class BreakerRules {

	private final ResiliencePolicy policy;

	private final FailureClassifier classifier;

	BreakerRules(ResiliencePolicy policy, FailureClassifier classifier) {
		this.policy = policy;
		this.classifier = classifier;
	}

	/**
	 * The breaker counts what proves the upstream failing (connect and transport
	 * failures, a deadline that cut an attempt short, 5xx answers) and ignores the rest
	 * (the permission is given back): pool exhaustion, requests a GOAWAY left
	 * unprocessed, the other streams of a lost connection, non-transport errors. The
	 * configured record, ignore and result predicates still apply on top.
	 */
	CircuitBreakerConfig configure(CircuitBreakerConfig configured) {
		Predicate<Throwable> record = configured.getRecordExceptionPredicate();
		Predicate<Throwable> ignore = configured.getIgnoreExceptionPredicate();
		Predicate<Object> recordResult = configured.getRecordResultPredicate();
		return CircuitBreakerConfig.from(configured)
			// the configured classes are part of the predicates above
			.recordExceptions()
			.ignoreExceptions()
			.ignoreException((failure) -> ignore.test(failure) || !countsAgainstUpstream(failure))
			.recordException(record)
			.recordResult((result) -> statusOf(result) >= 500 || recordResult.test(result))
			.build();
	}

	/**
	 * Record a response the breaker has seen.
	 */
	void onResponse(int status) {
		if (status >= 500) {
			reopenIfProbe();
		}
	}

	/**
	 * Classify a failed attempt once the breaker has seen it.
	 */
	FailureKind onFailure(Throwable failure) {
		FailureKind kind = this.classifier.classify(failure);
		if (kind == FailureKind.CONNECT || kind == FailureKind.TRANSPORT) {
			reopenIfProbe();
		}
		return kind;
	}

	void onDeadline() {
		reopenIfProbe();
	}

	boolean isOpen() {
		CircuitBreaker breaker = this.policy.breaker;
		return breaker != null && (breaker.getState() == CircuitBreaker.State.OPEN
				|| breaker.getState() == CircuitBreaker.State.FORCED_OPEN);
	}

	private void reopenIfProbe() {
		CircuitBreaker breaker = this.policy.breaker;
		if (breaker != null && breaker.getState() == CircuitBreaker.State.HALF_OPEN) {
			try {
				breaker.transitionToOpenState();
			}
			catch (RuntimeException ex) {
				// another thread moved the breaker on first
			}
		}
	}

	private boolean countsAgainstUpstream(Throwable failure) {
		if (failure instanceof HttpPoolDeadlineExceededException) {
			return true;
		}
		FailureKind kind = this.classifier.classify(failure);
		return kind == FailureKind.CONNECT || kind == FailureKind.TRANSPORT;
	}

	private static int statusOf(Object result) {
		if (result instanceof ClientResponse response) {
			return response.statusCode().value();
		}
		if (result instanceof ClientHttpResponse response) {
			try {
				return response.getStatusCode().value();
			}
			catch (IOException ex) {
				return 0;
			}
		}
		return 0;
	}

}
