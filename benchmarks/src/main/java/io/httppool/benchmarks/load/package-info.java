/**
 * End-to-end load harness: nginx started on loopback ports, every client in a JVM of its
 * own, results written as JSON, Markdown and SVG.
 */
@NullMarked
package io.httppool.benchmarks.load;

import org.jspecify.annotations.NullMarked;
