package io.httppool.test;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Netty's leak detection at the paranoid level (every buffer tracked), with the
 * {@code LEAK:} reports it logs captured. Start it before the buffers of a test are
 * allocated, {@link #assertNoLeak() assert} after, {@link #close() close} to restore the
 * previous level.
 */
public final class LeakDetection implements AutoCloseable {

	private static final String LOGGER = "io.netty.util.ResourceLeakDetector";

	private final ListAppender<ILoggingEvent> reports = new ListAppender<>();

	private final ResourceLeakDetector.Level previousLevel;

	private LeakDetection() {
		this.previousLevel = ResourceLeakDetector.getLevel();
		ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
		this.reports.start();
		((Logger) LoggerFactory.getLogger(LOGGER)).addAppender(this.reports);
	}

	/**
	 * Track every buffer from now on.
	 * @return the running detection
	 */
	public static LeakDetection paranoid() {
		return new LeakDetection();
	}

	/**
	 * Collect garbage so that leaked buffers are found, then assert that no leak was
	 * reported.
	 */
	public void assertNoLeak() {
		// a leak is reported when its buffer was collected and the next one is tracked
		for (int i = 0; i < 8; i++) {
			System.gc();
			ByteBufAllocator.DEFAULT.directBuffer(1024).release();
		}
		assertThat(this.reports.list).extracting(ILoggingEvent::getFormattedMessage)
			.noneMatch((message) -> message.contains("LEAK:"));
	}

	@Override
	public void close() {
		((Logger) LoggerFactory.getLogger(LOGGER)).detachAppender(this.reports);
		ResourceLeakDetector.setLevel(this.previousLevel);
	}

}
