/**
 * Auto-configuration of named, pooled HTTP clients from {@code http.pool.*} properties.
 */
@NullMarked
package io.httppool.autoconfigure;

import org.jspecify.annotations.NullMarked;
