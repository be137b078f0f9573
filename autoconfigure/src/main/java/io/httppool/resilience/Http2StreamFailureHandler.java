package io.httppool.resilience;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import io.httppool.HttpPoolConnectionLostException;
import io.httppool.HttpPoolStreamNotProcessedException;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2ChannelDuplexHandler;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2FrameStreamEvent;
import io.netty.handler.codec.http2.Http2FrameStreamException;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Stream;
import org.jspecify.annotations.Nullable;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.NettyPipeline;

/**
 * Tells the two ways an HTTP/2 stream dies with its connection apart, so that each is
 * classified once, by what it proves:
 * <ul>
 * <li>a stream above a GOAWAY's last-stream-id fails with an {@link IOException} caused
 * by a {@link HttpPoolStreamNotProcessedException}: the server did not process the
 * request;</li>
 * <li>a connection that closes under its streams without such a GOAWAY (socket closed or
 * reset) fails each unfinished stream with an {@link IOException} caused by a
 * {@link HttpPoolConnectionLostException}, of which exactly one unanswered stream per
 * connection {@linkplain HttpPoolConnectionLostException#isReportingStream() reports} the
 * loss to the circuit breaker.</li>
 * </ul>
 * Without it Reactor Netty reports both as "Connection prematurely closed BEFORE
 * response": a POST the server never saw would not be retried, a healthy upstream
 * rotating its connections would count as failing, and one lost connection with 64
 * streams in flight would count as 64 consecutive failures and open the breaker.
 *
 * <p>
 * One handler per HTTP/2 connection, added to the connection's (TCP channel's) pipeline
 * between Netty's frame codec and its multiplexer when the connection is established;
 * nothing is done per stream or per request. It reads only connection-level signals: the
 * GOAWAY frame (before Netty closes the streams it names) and the frame codec's stream
 * closed events while the connection is already inactive. It reaches a stream through
 * Netty's own route, a {@link Http2FrameStreamException} that the multiplexer fires into
 * that stream's channel (which Reactor Netty turns into the request's error) before it
 * closes the stream. HTTP/1.1 connections get none: one request per connection, a lost
 * connection is one failure anyway.
 */
final class Http2StreamFailureHandler extends Http2ChannelDuplexHandler {

	static final String NAME = "httpPoolStreamFailures";

	private final String clientName;

	private @Nullable Http2Connection connection;

	// one unanswered stream per connection reports its loss; read and written on the
	// connection's event loop only
	private boolean lossReported;

	private Http2StreamFailureHandler(String clientName) {
		this.clientName = clientName;
	}

	/**
	 * A connection observer that adds a handler to every HTTP/2 connection of a client
	 * when it is established.
	 * @param clientName the client name, for the exceptions
	 * @return the observer
	 */
	static ConnectionObserver installer(String clientName) {
		return (connection, state) -> {
			if (state == ConnectionObserver.State.CONNECTED) {
				install(connection, clientName);
			}
		};
	}

	private static void install(Connection connection, String clientName) {
		Channel channel = connection.channel();
		// the TCP connection, once Reactor Netty configured it for HTTP/2 (ALPN or prior
		// knowledge); HTTP/1.1 connections and streams have no multiplexer
		if (channel.parent() == null && channel.pipeline().get(NettyPipeline.H2MultiplexHandler) != null
				&& channel.pipeline().get(NAME) == null) {
			channel.pipeline()
				.addBefore(NettyPipeline.H2MultiplexHandler, NAME, new Http2StreamFailureHandler(clientName));
		}
	}

	@Override
	protected void handlerAdded0(ChannelHandlerContext ctx) {
		Http2FrameCodec codec = ctx.pipeline().get(Http2FrameCodec.class);
		this.connection = (codec != null) ? codec.connection() : null;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
		// Netty reads a GOAWAY before it closes the streams above its last-stream-id
		if (msg instanceof Http2GoAwayFrame goAway && goAway.lastStreamId() != Integer.MAX_VALUE) {
			failUnprocessed(ctx, goAway);
		}
		ctx.fireChannelRead(msg);
	}

	private void failUnprocessed(ChannelHandlerContext ctx, Http2GoAwayFrame goAway) throws Exception {
		int lastStreamId = goAway.lastStreamId();
		List<Http2FrameStream> unprocessed = new ArrayList<>();
		forEachActiveStream((stream) -> {
			// client streams are odd; an even id would be a server push
			if (stream.id() > lastStreamId && (stream.id() & 1) == 1) {
				unprocessed.add(stream);
			}
			return true;
		});
		for (Http2FrameStream stream : unprocessed) {
			HttpPoolStreamNotProcessedException notProcessed = new HttpPoolStreamNotProcessedException(this.clientName,
					stream.id(), goAway.errorCode());
			// an I/O failure to Reactor Netty and Spring: the RestClient would drop a
			// runtime exception's type, keeping only its IOException cause
			fail(ctx, stream, new IOException(notProcessed.getMessage(), notProcessed));
		}
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
		// a stream that ends normally closes while its connection is still active; one
		// above a GOAWAY's last-stream-id already failed and closed
		if (event instanceof Http2FrameStreamEvent streamEvent && streamEvent.type() == Http2FrameStreamEvent.Type.State
				&& streamEvent.stream().state() == Http2Stream.State.CLOSED && !ctx.channel().isActive()) {
			failLost(ctx, streamEvent.stream());
		}
		ctx.fireUserEventTriggered(event);
	}

	private void failLost(ChannelHandlerContext ctx, Http2FrameStream stream) {
		if ((stream.id() & 1) == 0) {
			return;
		}
		Http2Connection connection = this.connection;
		Http2Stream state = (connection != null) ? connection.stream(stream.id()) : null;
		boolean answered = state != null && state.isHeadersReceived();
		boolean reporting = !answered && !this.lossReported;
		if (reporting) {
			this.lossReported = true;
		}
		HttpPoolConnectionLostException lost = new HttpPoolConnectionLostException(this.clientName,
				ctx.channel().id().asShortText(), stream.id(), answered, reporting);
		fail(ctx, stream, new IOException(lost.getMessage(), lost));
	}

	/**
	 * Fire the failure into the stream's channel through Netty's multiplexer, which then
	 * closes that channel (with a {@code RST_STREAM CANCEL} while the connection is still
	 * open).
	 */
	private static void fail(ChannelHandlerContext ctx, Http2FrameStream stream, IOException failure) {
		ctx.fireExceptionCaught(new Http2FrameStreamException(stream, Http2Error.CANCEL, failure));
	}

}
