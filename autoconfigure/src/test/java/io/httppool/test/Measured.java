package io.httppool.test;

import org.junit.jupiter.api.Assumptions;

/**
 * Gate of the tests that measure latency or load shapes (the adaptive limit at the knee,
 * the hedged tail): on a shared 2-core machine their numbers follow the machine's load,
 * not the code, so they run only with {@code -Dhttp.pool.measured=true}, on a quiet
 * machine (docs/concurrency-and-hedging.md). A skip is printed, never silent.
 */
public final class Measured {

	/**
	 * System property that enables the measured tests.
	 */
	public static final String PROPERTY = "http.pool.measured";

	private Measured() {
	}

	/**
	 * Skip the calling test unless {@value #PROPERTY} is {@code true}.
	 * @param what what the test measures, for the skip message
	 */
	public static void assumeEnabled(String what) {
		if (!Boolean.getBoolean(PROPERTY)) {
			System.err.println("SKIPPED: " + what + " is measured only with -D" + PROPERTY + "=true");
		}
		Assumptions.assumeTrue(Boolean.getBoolean(PROPERTY), what + " is measured only with -D" + PROPERTY + "=true");
	}

}
