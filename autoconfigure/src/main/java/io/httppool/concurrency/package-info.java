/**
 * Adaptive concurrency limit of a named client: a latency-based limit of calls in flight
 * (Netflix concurrency-limits) applied per attempt by a {@code WebClient} filter and a
 * {@code RestClient} interceptor. No Spring Boot wiring in here.
 */
@NullMarked
package io.httppool.concurrency;

import org.jspecify.annotations.NullMarked;
