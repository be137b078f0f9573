/**
 * Named, pooled HTTP clients: settings, the client registry, customizers and exceptions.
 */
@NullMarked
package io.httppool;

import org.jspecify.annotations.NullMarked;
