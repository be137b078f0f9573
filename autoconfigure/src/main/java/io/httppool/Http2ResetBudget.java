package io.httppool;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.AttributeKey;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.netty.Connection;

/**
 * Retires an HTTP/2 connection on which the client reset many streams, before the server
 * closes it. A caller that cancels (a timeout, {@code take(1)} on a streamed body, a
 * discarded {@code Mono}) makes the client send {@code RST_STREAM}; servers count those
 * to defend against the "rapid reset" attack (CVE-2023-44487) and close the connection
 * past a limit: Netty, and so every Reactor Netty or Spring WebFlux server, closes it
 * after 200 resets in 30 s with {@code ENHANCE_YOUR_CALM}, failing every stream in
 * flight. Multiplexing many callers on one connection reaches such limits quickly.
 *
 * <p>
 * After {@code http2.max-resets-per-connection} resets the connection takes no new
 * streams: it is marked as having received a graceful GOAWAY for the streams it already
 * carries (Reactor Netty's pool then opens a new connection for new requests, as it does
 * for a server's GOAWAY; its API offers no other way to retire an HTTP/2 connection
 * without giving up its PING liveness checks) and it is closed once its last stream ends.
 * One listener per connection, installed with its first stream; it runs on the
 * connection's event loop.
 */
final class Http2ResetBudget extends Http2ConnectionAdapter {

	private static final Log logger = LogFactory.getLog(Http2ResetBudget.class);

	private static final AttributeKey<Http2ResetBudget> KEY = AttributeKey.valueOf(Http2ResetBudget.class.getName());

	private final String clientName;

	private final int maxResets;

	private final Channel channel;

	private final Http2Connection connection;

	private int resets;

	private boolean retired;

	private Http2ResetBudget(String clientName, int maxResets, Channel channel, Http2Connection connection) {
		this.clientName = clientName;
		this.maxResets = maxResets;
		this.channel = channel;
		this.connection = connection;
	}

	/**
	 * Watch the HTTP/2 connection of the given stream, once per connection; a no-op for
	 * HTTP/1.1 connections.
	 * @param stream the connection a request is sent on
	 * @param clientName the client name, for the log
	 * @param maxResets resets after which the connection is retired
	 */
	static void watch(Connection stream, String clientName, int maxResets) {
		if (!(stream.channel() instanceof Http2StreamChannel child)) {
			return;
		}
		Channel parent = child.parent();
		if (parent.hasAttr(KEY)) {
			return;
		}
		Http2FrameCodec codec = parent.pipeline().get(Http2FrameCodec.class);
		if (codec == null) {
			return;
		}
		Http2ResetBudget budget = new Http2ResetBudget(clientName, maxResets, parent, codec.connection());
		if (parent.attr(KEY).setIfAbsent(budget) == null) {
			parent.eventLoop().execute(() -> budget.connection.addListener(budget));
		}
	}

	@Override
	public void onStreamClosed(Http2Stream stream) {
		if (stream.isResetSent() && !this.retired && ++this.resets >= this.maxResets) {
			retire();
		}
		if (this.retired && this.connection.numActiveStreams() == 0) {
			this.channel.close();
		}
	}

	private void retire() {
		this.retired = true;
		try {
			this.connection.goAwayReceived(this.connection.local().lastStreamCreated(), Http2Error.NO_ERROR.code(),
					Unpooled.EMPTY_BUFFER);
		}
		catch (Http2Exception ex) {
			// the server sent its own GOAWAY first: the connection is retiring already
		}
		if (logger.isDebugEnabled()) {
			logger.debug("HTTP pool '" + this.clientName + "': retiring connection " + this.channel.id() + " after "
					+ this.resets + " streams reset by the client (http2.max-resets-per-connection)");
		}
	}

}
