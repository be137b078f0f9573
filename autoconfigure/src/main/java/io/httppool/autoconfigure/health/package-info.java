/**
 * Auto-configuration of the {@code httpPools} health contributor.
 */
@NullMarked
package io.httppool.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
