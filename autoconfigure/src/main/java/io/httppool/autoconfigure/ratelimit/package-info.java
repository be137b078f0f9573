/**
 * Auto-configuration of provider quotas ({@code http.pool.clients.<name>.rate-limit.*}):
 * the customizer that installs the rate limiter on each enabled client, the Redis
 * connection of {@code rate-limit.store=redis} and the rate-limit meters.
 */
@NullMarked
package io.httppool.autoconfigure.ratelimit;

import org.jspecify.annotations.NullMarked;
