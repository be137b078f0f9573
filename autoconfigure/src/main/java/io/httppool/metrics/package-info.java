/**
 * Micrometer meters of one client: pool gauges, the opened-connections counter and the
 * per-attempt request timer. Every meter name lives in {@link HttpPoolMeters}. No Spring
 * Boot wiring in here: see {@code io.httppool.autoconfigure.metrics}.
 */
@NullMarked
package io.httppool.metrics;

import org.jspecify.annotations.NullMarked;
