package io.httppool.benchmarks.load;

/**
 * One client's measured run in one scenario.
 *
 * @param scenario what was sent ({@code get 0 ms}, {@code get 20 ms},
 * {@code upload 1 MB}, {@code new connection per request})
 * @param protocol {@code h2} or {@code http/1.1}
 * @param concurrency requests in flight
 * @param client client id
 * @param round round number, from 1
 * @param requests requests answered 2xx in the measured time
 * @param errors failed or non-2xx requests in the measured time
 * @param seconds measured time
 * @param p50 median latency, ms
 * @param p99 99th percentile latency, ms
 * @param p999 99.9th percentile latency, ms
 * @param connections connections nginx accepted for the whole client run (warm-up
 * included)
 * @param cpuMicros CPU time of the client process per request, µs ({@code -1} unknown)
 * @param allocBytes bytes allocated by the client JVM per request ({@code -1} unknown)
 * @param note first error, or empty
 * @author http-pool team
 */
record RunResult(String scenario, String protocol, int concurrency, String client, int round, long requests,
		long errors, double seconds, double p50, double p99, double p999, long connections, double cpuMicros,
		double allocBytes, String note) {

	double perSecond() {
		return (this.seconds > 0) ? this.requests / this.seconds : 0;
	}

	boolean ok() {
		return this.requests > 0 && this.errors == 0;
	}

}
