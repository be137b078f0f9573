/**
 * Auto-configuration of the {@code http.pool.*} meters.
 */
@NullMarked
package io.httppool.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
