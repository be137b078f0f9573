/**
 * Auto-configuration of the {@code httppools} actuator endpoint.
 */
@NullMarked
package io.httppool.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
