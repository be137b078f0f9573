package io.httppool.ratelimit;

import io.httppool.ratelimit.RateLimitHeaders.Observation;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every header family a provider announces its quota with, parsed as the limiter reads
 * it.
 */
class RateLimitHeadersTests {

	private static final long NONE = Observation.NONE;

	@Test
	void openAiHeadersGiveLimitRemainingAndAGoDurationReset() {
		HttpHeaders headers = new HttpHeaders();
		headers.add("x-ratelimit-limit-requests", "500");
		headers.add("x-ratelimit-remaining-requests", "499");
		headers.add("x-ratelimit-reset-requests", "6m0s");
		assertThat(RateLimitHeaders.parse(200, headers, 0)).isEqualTo(new Observation(500, NONE, 499, 360_000, NONE));
	}

	@Test
	void goDurationsOfEveryUnitParse() {
		assertThat(RateLimitHeaders.parseGoDurationMillis("1s")).isEqualTo(1000);
		assertThat(RateLimitHeaders.parseGoDurationMillis("20ms")).isEqualTo(20);
		assertThat(RateLimitHeaders.parseGoDurationMillis("1h2m3.5s")).isEqualTo(3_723_500);
		assertThat(RateLimitHeaders.parseGoDurationMillis("59.472s")).isEqualTo(59_472);
		assertThat(RateLimitHeaders.parseGoDurationMillis("1500us")).isEqualTo(2);
		assertThat(RateLimitHeaders.parseGoDurationMillis("2")).isEqualTo(2000);
		assertThat(RateLimitHeaders.parseGoDurationMillis("soon")).isEqualTo(NONE);
		assertThat(RateLimitHeaders.parseGoDurationMillis("1s later")).isEqualTo(NONE);
	}

	@Test
	void ietfDraft7DictionaryAndPolicyWithWindow() {
		HttpHeaders headers = new HttpHeaders();
		headers.add("RateLimit", "limit=100, remaining=50, reset=5");
		headers.add("RateLimit-Policy", "100;w=60");
		assertThat(RateLimitHeaders.parse(200, headers, 0)).isEqualTo(new Observation(100, 60_000, 50, 5000, NONE));
	}

	@Test
	void ietfDraft8NamedPolicyAndRemainingItems() {
		HttpHeaders headers = new HttpHeaders();
		headers.add("RateLimit", "\"default\";r=50;t=30");
		headers.add("RateLimit-Policy", "\"default\";q=100;w=60");
		assertThat(RateLimitHeaders.parse(200, headers, 0)).isEqualTo(new Observation(100, 60_000, 50, 30_000, NONE));
	}

	@Test
	void theTightestOfSeveralPoliciesAndLimitsWins() {
		HttpHeaders headers = new HttpHeaders();
		headers.add("RateLimit", "\"burst\";r=9;t=1, \"daily\";r=900;t=3600");
		headers.add("RateLimit-Policy", "\"burst\";q=10;w=1, \"daily\";q=1000;w=86400");
		assertThat(RateLimitHeaders.parse(200, headers, 0)).isEqualTo(new Observation(1000, 86_400_000, 9, 1000, NONE));
	}

	@Test
	void earlierSeparateIetfHeaders() {
		HttpHeaders headers = new HttpHeaders();
		headers.add("RateLimit-Limit", "10");
		headers.add("RateLimit-Remaining", "0");
		headers.add("RateLimit-Reset", "2");
		assertThat(RateLimitHeaders.parse(200, headers, 0)).isEqualTo(new Observation(10, NONE, 0, 2000, NONE));
	}

	@Test
	void a429CarriesItsRetryAfterAndOtherStatusesDoNot() {
		HttpHeaders headers = new HttpHeaders();
		headers.add(HttpHeaders.RETRY_AFTER, "3");
		assertThat(RateLimitHeaders.parse(429, headers, 0)).isEqualTo(new Observation(NONE, NONE, NONE, NONE, 3000));
		assertThat(RateLimitHeaders.parse(503, headers, 0)).isNull();
	}

	@Test
	void aResponseWithoutQuotaHeadersSaysNothingAndGarbageIsIgnored() {
		assertThat(RateLimitHeaders.parse(200, new HttpHeaders(), 0)).isNull();
		HttpHeaders headers = new HttpHeaders();
		headers.add("x-ratelimit-limit-requests", "lots");
		headers.add("RateLimit", "remaining=-3");
		assertThat(RateLimitHeaders.parse(200, headers, 0)).isNull();
	}

}
