/**
 * Benchmarks of http-pool clients.
 */
@NullMarked
package io.httppool.benchmarks;

import org.jspecify.annotations.NullMarked;
