package io.httppool.sample.simulator;

import java.util.ArrayList;
import java.util.List;

import io.httppool.sample.simulator.FaultSchedule.Fault;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FaultScheduleTests {

	@Test
	void withoutRatesNoRequestFails() {
		assertThat(take(new FaultSchedule(0, 0), 100)).containsOnly(Fault.NONE);
	}

	@Test
	void withErrorRateOneEveryRequestFails() {
		assertThat(take(new FaultSchedule(1, 0), 100)).containsOnly(Fault.UNAVAILABLE);
	}

	@Test
	void faultsAreSpreadEvenlyAndAlternateInProportion() {
		List<Fault> faults = take(new FaultSchedule(0.125, 0.125), 12);
		assertThat(faults).containsExactly(Fault.NONE, Fault.NONE, Fault.NONE, Fault.THROTTLED, Fault.NONE, Fault.NONE,
				Fault.NONE, Fault.UNAVAILABLE, Fault.NONE, Fault.NONE, Fault.NONE, Fault.THROTTLED);
	}

	@Test
	void ratesAreTheShareOfFailedRequests() {
		List<Fault> faults = take(new FaultSchedule(0.1, 0.3), 1000);
		assertThat(faults.stream().filter(Fault.UNAVAILABLE::equals).count()).isEqualTo(100);
		assertThat(faults.stream().filter(Fault.THROTTLED::equals).count()).isEqualTo(300);
	}

	private static List<Fault> take(FaultSchedule schedule, int count) {
		List<Fault> faults = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			faults.add(schedule.next());
		}
		return faults;
	}

}
