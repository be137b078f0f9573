package io.httppool.concurrency;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

import io.httppool.HttpPoolConcurrencyLimitException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tuning of {@link AdaptiveConcurrencyLimit} on a virtual clock, so that no host load
 * can move it: closed-loop callers against a simulated upstream that answers in
 * {@value #BASE_MILLIS} ms up to {@value #KNEE} requests in flight and
 * {@value #STEP_MILLIS} ms slower for every request in flight beyond it, the latency of
 * each request fixed by the requests in flight when it arrived (the model of
 * {@code AdaptiveConcurrencyIntegrationTests}). With host noise: every response time up
 * to the given share longer and a share of them a stall of 100 ms more, seeded.
 */
class AdaptiveConcurrencyLimitTests {

	static final int BASE_MILLIS = 100;

	static final int STEP_MILLIS = 25;

	static final int KNEE = 40;

	static final int CALLERS = 64;

	static final long BACK_OFF_NANOS = Duration.ofMillis(50).toNanos();

	@ParameterizedTest(name = "jitter {0}, stalls {1}")
	@CsvSource({ "0, 0", "0.1, 0.01", "0.2, 0.02", "0.3, 0.05" })
	void theLimitSettlesNearTheKneeKeepsLatencyAndGrowsBackWhenTheUpstreamRecovers(double jitter, double stalls) {
		Simulation simulation = new Simulation(jitter, stalls);
		simulation.run(Duration.ofSeconds(20));
		Phase loaded = simulation.run(Duration.ofSeconds(20));
		simulation.knee = 1000;
		Phase recovered = simulation.run(Duration.ofSeconds(10));
		System.out.printf(
				"adaptive concurrency, simulated (jitter %.2f, stalls %.2f): limit %d (range %d-%d), p50 %.1f ms, "
						+ "p99 %.1f ms, %d answered, %d refused; recovered upstream: limit %d after 10 s%n",
				jitter, stalls, loaded.limitPercentile(50), loaded.limitPercentile(0), loaded.limitPercentile(100),
				loaded.latencyPercentileMillis(50), loaded.latencyPercentileMillis(99), loaded.latencies.size(),
				loaded.refused, recovered.limitPercentile(100));
		assertThat(loaded.limitPercentile(50)).as("median limit under load").isBetween(KNEE - 5, KNEE + 5);
		assertThat(loaded.limitPercentile(100)).as("highest limit under load").isLessThanOrEqualTo(KNEE + 10);
		assertThat(loaded.latencyPercentileMillis(99)).as("p99 under load")
			.isLessThanOrEqualTo(2 * BASE_MILLIS * (1 + jitter) + ((stalls > 0) ? BASE_MILLIS : 0));
		assertThat(loaded.refused).as("calls refused").isPositive();
		assertThat(recovered.limitPercentile(100)).as("limit once the upstream recovered")
			.isGreaterThanOrEqualTo(KNEE + 20);
	}

	@Test
	void fast503AnswersShrinkTheLimitWithoutBecomingTheUnloadedLatencyAndItGrowsBackOnceTheUpstreamAnswers() {
		Simulation simulation = new Simulation(0, 0);
		simulation.status = 503;
		Phase shedding = simulation.run(Duration.ofSeconds(2));
		simulation.status = 200;
		Phase answering = simulation.run(Duration.ofSeconds(10));
		System.out.printf("adaptive concurrency, simulated: 503s in 1 ms for 2 s: limit down to %d; then answers: "
				+ "limit up to %d in 10 s%n", shedding.limitPercentile(0), answering.limitPercentile(100));
		assertThat(shedding.limitPercentile(0)).as("limit while the upstream sheds load").isLessThanOrEqualTo(12);
		assertThat(answering.limitPercentile(100)).as("limit once it answers again").isGreaterThanOrEqualTo(KNEE);
	}

	/**
	 * Closed-loop callers on a virtual clock: each sends its next call when the last one
	 * was answered, or {@link #BACK_OFF_NANOS} after it was refused.
	 */
	static final class Simulation {

		final PriorityQueue<Event> events = new PriorityQueue<>();

		final Random random = new Random(42);

		final double jitter;

		final double stalls;

		final AdaptiveConcurrencyLimit limit;

		long now;

		int inFlight;

		int knee = KNEE;

		int status = 200;

		Simulation(double jitter, double stalls) {
			this.jitter = jitter;
			this.stalls = stalls;
			this.limit = new AdaptiveConcurrencyLimit("sim", 20, 1000, () -> this.now);
			for (int i = 0; i < CALLERS; i++) {
				this.events.add(new Event(i, null, 0, 0));
			}
		}

		Phase run(Duration duration) {
			Phase phase = new Phase();
			long end = this.now + duration.toNanos();
			while (this.events.peek().at < end) {
				Event event = this.events.poll();
				this.now = event.at;
				if (event.slot != null) {
					this.inFlight--;
					event.slot.onResponse(event.status);
					phase.latencies.add(this.now - event.sent);
					phase.limits.add((long) this.limit.limit());
					this.events.add(new Event(this.now, null, this.now, 0));
					continue;
				}
				try {
					AdaptiveConcurrencyLimit.Slot slot = this.limit.acquire();
					this.inFlight++;
					this.events.add(new Event(this.now + latency(), slot, this.now, this.status));
				}
				catch (HttpPoolConcurrencyLimitException ex) {
					phase.refused++;
					this.events.add(new Event(this.now + BACK_OFF_NANOS, null, this.now, 0));
				}
			}
			return phase;
		}

		private long latency() {
			if (this.status != 200) {
				return 1_000_000;
			}
			double millis = BASE_MILLIS + Math.max(0, this.inFlight - this.knee) * STEP_MILLIS;
			millis *= 1 + this.jitter * this.random.nextDouble();
			if (this.random.nextDouble() < this.stalls) {
				millis += 100;
			}
			return (long) (millis * 1_000_000);
		}

	}

	record Event(long at, AdaptiveConcurrencyLimit.Slot slot, long sent, int status) implements Comparable<Event> {

		@Override
		public int compareTo(Event other) {
			return Long.compare(this.at, other.at);
		}

	}

	static final class Phase {

		final List<Long> latencies = new ArrayList<>();

		final List<Long> limits = new ArrayList<>();

		int refused;

		double latencyPercentileMillis(double percentile) {
			return percentile(this.latencies, percentile) / 1e6;
		}

		int limitPercentile(double percentile) {
			return (int) percentile(this.limits, percentile);
		}

		private static long percentile(List<Long> values, double percentile) {
			List<Long> sorted = new ArrayList<>(values);
			Collections.sort(sorted);
			int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
			return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
		}

	}

}
