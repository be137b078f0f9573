/**
 * Resilience of a named client: the {@code WebClient} filter and {@code RestClient}
 * interceptor that apply deadline( retry( circuit breaker( attempt ) ) ), the retry
 * budget, {@code Retry-After} parsing and the classifier that decides which failures may
 * be retried. No Spring Boot wiring in here.
 */
@NullMarked
package io.httppool.resilience;

import org.jspecify.annotations.NullMarked;
