/**
 * Auto-configuration of adaptive concurrency limits.
 */
@NullMarked
package io.httppool.autoconfigure.concurrency;

import org.jspecify.annotations.NullMarked;
