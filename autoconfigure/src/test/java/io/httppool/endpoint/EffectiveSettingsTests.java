package io.httppool.endpoint;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EffectiveSettingsTests {

	@Test
	void durationsReadLikeProperties() {
		assertThat(EffectiveSettings.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
		assertThat(EffectiveSettings.format(Duration.ofSeconds(90))).isEqualTo("90s");
		assertThat(EffectiveSettings.format(Duration.ofMinutes(5))).isEqualTo("5m");
		assertThat(EffectiveSettings.format(Duration.ofHours(2))).isEqualTo("2h");
		assertThat(EffectiveSettings.format(Duration.ofDays(3))).isEqualTo("3d");
		assertThat(EffectiveSettings.format(Duration.ZERO)).isEqualTo("0s");
		assertThat(EffectiveSettings.format(Duration.ofNanos(1500))).isEqualTo("1500ns");
		assertThat(EffectiveSettings.format(Duration.ofSeconds(Long.MAX_VALUE))).isEqualTo("PT2562047788015215H30M7S");
		assertThat(EffectiveSettings.format(null)).isNull();
	}

}
