/**
 * Auto-configuration of per-client resilience on Resilience4j.
 */
@NullMarked
package io.httppool.autoconfigure.resilience;

import org.jspecify.annotations.NullMarked;
