/**
 * The {@code httppools} actuator endpoint: every client's effective settings, secrets
 * masked, and its pool's live state, and the sanitizing function for the {@code env} and
 * {@code configprops} endpoints (no Spring Boot wiring in here).
 */
@NullMarked
package io.httppool.endpoint;

import org.jspecify.annotations.NullMarked;
