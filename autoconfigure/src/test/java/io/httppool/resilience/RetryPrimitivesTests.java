package io.httppool.resilience;

import java.io.IOException;
import java.net.ConnectException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLHandshakeException;

import io.httppool.HttpPoolConnectionLostException;
import io.httppool.HttpPoolExhaustedException;
import io.httppool.HttpPoolShutdownException;
import io.httppool.HttpPoolStreamNotProcessedException;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.timeout.ReadTimeoutException;
import org.junit.jupiter.api.Test;

import org.springframework.web.reactive.function.client.WebClientRequestException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The building blocks: {@code Retry-After} parsing, the budget and the failure
 * classifier.
 */
class RetryPrimitivesTests {

	@Test
	void retryAfterInSecondsAndAsHttpDate() {
		long now = ZonedDateTime.of(2030, 1, 1, 12, 0, 0, 0, ZoneOffset.UTC).toInstant().toEpochMilli();
		assertThat(RetryAfter.parseMillis("120", now)).isEqualTo(120_000);
		assertThat(RetryAfter.parseMillis(" 0 ", now)).isZero();
		assertThat(RetryAfter.parseMillis("Tue, 01 Jan 2030 12:00:30 GMT", now)).isEqualTo(30_000);
		assertThat(RetryAfter.parseMillis("Tue, 01 Jan 2030 11:00:00 GMT", now)).isZero();
		assertThat(RetryAfter.parseMillis(null, now)).isEqualTo(RetryAfter.NONE);
		assertThat(RetryAfter.parseMillis("soon", now)).isEqualTo(RetryAfter.NONE);
		assertThat(RetryAfter.parseMillis("-5", now)).isEqualTo(RetryAfter.NONE);
		assertThat(RetryAfter.parseMillis("99999999999999999999", now)).isEqualTo(RetryAfter.NONE);
		assertThat(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC))).isNotBlank();
	}

	@Test
	void budgetAllowsItsShareOfFirstAttemptsOverTheWindow() {
		AtomicLong clock = new AtomicLong();
		RetryBudget budget = new RetryBudget(0.2, TimeUnit.SECONDS.toNanos(10), clock::get);
		for (int i = 0; i < 1000; i++) {
			budget.recordFirstAttempt();
		}
		int allowed = 0;
		for (int i = 0; i < 1000; i++) {
			if (budget.tryAcquireRetry()) {
				allowed++;
			}
		}
		assertThat(allowed).isEqualTo(200);
		// the window slides: ten seconds later the first attempts have aged out
		clock.addAndGet(TimeUnit.SECONDS.toNanos(11));
		int afterWindow = 0;
		for (int i = 0; i < 100; i++) {
			if (budget.tryAcquireRetry()) {
				afterWindow++;
			}
		}
		assertThat(afterWindow).isEqualTo(RetryBudget.MIN_RETRIES_PER_WINDOW);
	}

	@Test
	void aBudgetOfZeroAllowsNoRetry() {
		RetryBudget budget = new RetryBudget(0);
		budget.recordFirstAttempt();
		assertThat(budget.tryAcquireRetry()).isFalse();
	}

	@Test
	void failuresThatProveTheRequestNeverLeftAreRetryableForAnyMethod() {
		FailureClassifier classifier = FailureClassifier.standard();
		assertThat(classifier.classify(
				new WebClientRequestException(new ConnectException("refused"), org.springframework.http.HttpMethod.POST,
						java.net.URI.create("http://x"), new org.springframework.http.HttpHeaders())))
			.isEqualTo(FailureKind.CONNECT);
		assertThat(classifier.classify(new IOException("wrapped", new SSLHandshakeException("bad cert"))))
			.isEqualTo(FailureKind.CONNECT);
		assertThat(classifier.classify(Http2Exception.streamError(3, Http2Error.REFUSED_STREAM, "refused")))
			.isEqualTo(FailureKind.CONNECT);
		assertThat(classifier.classify(new HttpPoolExhaustedException("stt", true, "full", null)))
			.isEqualTo(FailureKind.POOL);
	}

	@Test
	void aStreamLeftUnprocessedByAGracefulGoawayIsNotProcessedAndByAnErrorGoawayIsAConnectFailure() {
		FailureClassifier classifier = FailureClassifier.standard();
		HttpPoolStreamNotProcessedException graceful = new HttpPoolStreamNotProcessedException("stt", 2003,
				Http2Error.NO_ERROR.code());
		// as the WebClient reports it
		assertThat(classifier.classify(new WebClientRequestException(new IOException(graceful.getMessage(), graceful),
				org.springframework.http.HttpMethod.POST, java.net.URI.create("http://x"),
				new org.springframework.http.HttpHeaders())))
			.isEqualTo(FailureKind.NOT_PROCESSED);
		assertThat(classifier
			.classify(new HttpPoolStreamNotProcessedException("stt", 2003, Http2Error.ENHANCE_YOUR_CALM.code())))
			.isEqualTo(FailureKind.CONNECT);
	}

	@Test
	void reactorNettyGivingUpOnAnAcquiredStreamOrConnectionIsAnUnprocessedRequest() {
		FailureClassifier classifier = FailureClassifier.standard();
		// as the RestClient reports it
		assertThat(classifier.classify(new org.springframework.web.client.ResourceAccessException("I/O error",
				new IOException("Error while acquiring from reactor.netty.internal.shaded.reactor.pool.decorators."
						+ "GracefulShutdownInstrumentedPool@1893b573. Max active streams is reached."))))
			.isEqualTo(FailureKind.NOT_PROCESSED);
		assertThat(classifier.classify(new IOException("Error while acquiring from SimpleDequePool@1a2b")))
			.isEqualTo(FailureKind.NOT_PROCESSED);
	}

	@Test
	void eachStreamOfALostConnectionIsATransportFailureOfWhichOneReportsTheLoss() {
		FailureClassifier classifier = FailureClassifier.standard();
		HttpPoolConnectionLostException reporting = new HttpPoolConnectionLostException("stt", "0a1b2c3d", 5, false,
				true);
		HttpPoolConnectionLostException other = new HttpPoolConnectionLostException("stt", "0a1b2c3d", 7, false, false);
		assertThat(classifier.classify(new IOException(reporting.getMessage(), reporting)))
			.isEqualTo(FailureKind.TRANSPORT);
		assertThat(classifier.classify(new IOException(other.getMessage(), other)))
			.isEqualTo(FailureKind.LOST_WITH_CONNECTION);
	}

	@Test
	void transportFailuresAfterSendingAndOtherFailures() {
		FailureClassifier classifier = FailureClassifier.standard();
		assertThat(classifier.classify(new IOException("Connection reset by peer"))).isEqualTo(FailureKind.TRANSPORT);
		assertThat(classifier.classify(new RuntimeException(ReadTimeoutException.INSTANCE)))
			.isEqualTo(FailureKind.TRANSPORT);
		assertThat(classifier.classify(Http2Exception.streamError(3, Http2Error.CANCEL, "goaway")))
			.isEqualTo(FailureKind.TRANSPORT);
		assertThat(classifier.classify(new HttpPoolShutdownException("stt"))).isEqualTo(FailureKind.OTHER);
		assertThat(classifier.classify(new IOException("interrupted", new InterruptedException())))
			.isEqualTo(FailureKind.OTHER);
		assertThat(classifier.classify(new IllegalStateException("codec"))).isEqualTo(FailureKind.OTHER);
	}

}
