/**
 * Provider quotas of a named client: the {@code WebClient} filter and {@code RestClient}
 * interceptor that pace each attempt with a Bucket4j token bucket (in this process or
 * shared in Redis), the parser of the upstream's rate-limit headers the bucket learns
 * from, and the state that health, the endpoint and the meters read. No Spring Boot
 * wiring in here.
 */
@NullMarked
package io.httppool.ratelimit;

import org.jspecify.annotations.NullMarked;
