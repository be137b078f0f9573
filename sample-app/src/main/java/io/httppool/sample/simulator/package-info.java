/**
 * Embedded, OpenAI-compatible speech-to-text simulator: a Reactor Netty server on a
 * loopback port that the sample talks to when no real provider is configured.
 */
@NullMarked
package io.httppool.sample.simulator;

import org.jspecify.annotations.NullMarked;
