/**
 * Auto-configuration of pools resized at runtime.
 */
@NullMarked
package io.httppool.autoconfigure.resize;

import org.jspecify.annotations.NullMarked;
