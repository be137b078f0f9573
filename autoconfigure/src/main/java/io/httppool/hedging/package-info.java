/**
 * Hedged requests of a named client: a {@code WebClient} filter that sends an idempotent
 * request a second time when no answer came in time, takes the first answer and cancels
 * the other attempt, within the retry budget. No Spring Boot wiring in here.
 */
@NullMarked
package io.httppool.hedging;

import org.jspecify.annotations.NullMarked;
