/**
 * JMH benchmarks of the cost of each http-pool layer per request.
 */
@NullMarked
package io.httppool.benchmarks.jmh;

import org.jspecify.annotations.NullMarked;
