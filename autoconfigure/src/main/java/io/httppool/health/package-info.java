/**
 * Health of one client's connection pool, read from local state only. No Spring Boot
 * wiring in here: see {@code io.httppool.autoconfigure.health}.
 */
@NullMarked
package io.httppool.health;

import org.jspecify.annotations.NullMarked;
