/**
 * Auto-configuration of hedged requests.
 */
@NullMarked
package io.httppool.autoconfigure.hedging;

import org.jspecify.annotations.NullMarked;
