/**
 * Auto-configuration of the {@code httppools} actuator endpoint and of the sanitizing
 * function that masks {@code http.pool.*} secrets in the {@code env} and
 * {@code configprops} endpoints.
 */
@NullMarked
package io.httppool.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
