package io.httppool;

import java.time.Duration;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.timeout.ReadTimeoutException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;

/**
 * Watches a client's connections: counts the established ones, adds the translator of
 * {@link TypedTimeouts} to each connection or stream, tells the {@link KeepAliveGuard} of
 * an HTTP/1.1 client when a connection goes back to the pool and leaves it, and retires
 * an HTTP/2 connection that went silent.
 *
 * <p>
 * A connection can die without a FIN or a RST (a NAT or firewall that forgot the flow, a
 * frozen peer). Over HTTP/1.1 the response timeout closes it. Over HTTP/2 only the stream
 * is reset: the connection stays in the pool and the retry goes out as a new stream on
 * the same dead connection. So when a stream hits the response timeout and nothing at all
 * arrived on its connection for half that time (no frame of another stream, no PING ack,
 * no SETTINGS), the connection is closed at once, without GOAWAY: the pool then opens a
 * fresh one for the retry. A live connection whose server is just slow for one stream
 * keeps receiving frames of its other streams and is kept; one with no other stream is
 * closed too, which costs a reconnect, not a failure.
 *
 * <p>
 * One instance per client. Per HTTP/2 connection it adds one handler that notes the time
 * of the last read; nothing is done per request.
 */
final class ConnectionWatch implements ConnectionObserver {

	private static final Log logger = LogFactory.getLog(ConnectionWatch.class);

	static final String READ_CLOCK = "httpPoolReadClock";

	private final String clientName;

	private final PoolStateTracker tracker;

	private final TypedTimeouts timeouts;

	private final @Nullable KeepAliveGuard keepAlive;

	private final boolean http2;

	private final Duration responseTimeout;

	private final long silenceNanos;

	ConnectionWatch(HttpPoolClientSettings settings, PoolStateTracker tracker, TypedTimeouts timeouts,
			@Nullable KeepAliveGuard keepAlive, boolean http2) {
		this.clientName = settings.name();
		this.tracker = tracker;
		this.timeouts = timeouts;
		this.keepAlive = keepAlive;
		this.http2 = http2;
		this.responseTimeout = settings.timeouts().responseTimeout();
		this.silenceNanos = this.responseTimeout.toNanos() / 2;
	}

	@Override
	public void onStateChange(Connection connection, State state) {
		// once per established TCP connection (not per HTTP/2 stream, not for a refused
		// connect)
		if (state == State.CONNECTED) {
			this.tracker.connectionOpened();
			Channel channel = connection.channel();
			if (this.http2 && channel.parent() == null && channel.pipeline().get(READ_CLOCK) == null) {
				// first, before TLS: any byte proves the peer alive
				channel.pipeline().addFirst(READ_CLOCK, new ReadClock());
			}
			if (this.keepAlive != null) {
				this.keepAlive.connected(channel);
			}
		}
		else if (state == State.ACQUIRED) {
			if (this.keepAlive != null) {
				this.keepAlive.acquired(connection.channel());
			}
		}
		else if (state == State.RELEASED) {
			if (this.keepAlive != null) {
				this.keepAlive.released(connection.channel());
			}
		}
		else if (state == State.CONFIGURED) {
			// once per connection; HTTP/2 streams get none, which would cost a pipeline
			// change per request: ClientGuard types their response timeouts
			this.timeouts.install(connection.channel());
		}
	}

	@Override
	public void onUncaughtException(Connection connection, Throwable error) {
		if (isResponseTimeout(error) && connection.channel() instanceof Http2StreamChannel stream) {
			Channel parent = stream.parent();
			if (parent != null && parent.pipeline().get(READ_CLOCK) instanceof ReadClock clock) {
				long silentNanos = System.nanoTime() - clock.lastReadNanos;
				if (silentNanos >= this.silenceNanos && parent.isActive()) {
					if (logger.isWarnEnabled()) {
						logger.warn("HTTP pool '" + this.clientName + "' closes connection " + parent.id().asShortText()
								+ " to " + parent.remoteAddress() + ": a stream got no response within "
								+ HttpPoolTimeoutException.property(this.clientName,
										HttpPoolTimeoutException.Kind.RESPONSE)
								+ " (" + HttpPoolTimeoutException.Kind.format(this.responseTimeout)
								+ ") and nothing arrived on the connection for "
								+ Duration.ofNanos(silentNanos).toMillis() + " ms");
					}
					clock.retire();
				}
			}
		}
	}

	private static boolean isResponseTimeout(Throwable error) {
		return error instanceof ReadTimeoutException || (error instanceof HttpPoolTimeoutException timeout
				&& timeout.getKind() == HttpPoolTimeoutException.Kind.RESPONSE);
	}

	/**
	 * Notes when the connection last read anything. Closing from here (the front of the
	 * pipeline) closes the socket without a GOAWAY or a TLS close_notify, which would
	 * wait on a peer that no longer answers.
	 */
	static final class ReadClock extends ChannelInboundHandlerAdapter {

		// read and written on the connection's event loop only
		private long lastReadNanos = System.nanoTime();

		private @Nullable ChannelHandlerContext context;

		@Override
		public void handlerAdded(ChannelHandlerContext ctx) {
			this.context = ctx;
		}

		@Override
		public void channelReadComplete(ChannelHandlerContext ctx) {
			this.lastReadNanos = System.nanoTime();
			ctx.fireChannelReadComplete();
		}

		void retire() {
			ChannelHandlerContext ctx = this.context;
			if (ctx != null) {
				ctx.close();
			}
		}

	}

}
