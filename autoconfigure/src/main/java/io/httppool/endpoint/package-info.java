/**
 * The {@code httppools} actuator endpoint: every client's effective settings, secrets
 * masked, and its pool's live state (no Spring Boot wiring in here).
 */
@NullMarked
package io.httppool.endpoint;

import org.jspecify.annotations.NullMarked;
