package io.httppool.resilience;

import java.io.IOException;

import io.httppool.HttpPoolConnectionLostException;
import io.httppool.HttpPoolStreamNotProcessedException;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.AttributeKey;
import reactor.netty.Connection;

/**
 * Tells the two ways an HTTP/2 stream dies with its connection apart, so that each is
 * classified once, by what it proves:
 * <ul>
 * <li>a GOAWAY that Netty hands to every stream above the frame's last-stream-id becomes
 * an {@link IOException} caused by a {@link HttpPoolStreamNotProcessedException}: the
 * server did not process the request;</li>
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
 * One instance per client, shared by its streams; added in front of each HTTP/2 stream's
 * pipeline when the request is sent, and a no-op for HTTP/1.1 connections (one request
 * per connection: a lost connection is one failure anyway).
 */
@ChannelHandler.Sharable
final class Http2StreamFailureHandler extends ChannelInboundHandlerAdapter {

	static final String NAME = "httpPoolStreamFailures";

	// on a stream: the stream already failed (GOAWAY), or its response started
	private static final AttributeKey<Boolean> FAILED = AttributeKey.valueOf(Http2StreamFailureHandler.class, "failed");

	private static final AttributeKey<Boolean> ANSWERED = AttributeKey.valueOf(Http2StreamFailureHandler.class,
			"answered");

	// on a connection: one of its streams reported its loss
	private static final AttributeKey<Boolean> LOSS_REPORTED = AttributeKey.valueOf(Http2StreamFailureHandler.class,
			"lossReported");

	private final String clientName;

	Http2StreamFailureHandler(String clientName) {
		this.clientName = clientName;
	}

	/**
	 * Add this handler to the stream of a request about to be sent.
	 * @param connection the request's connection: an HTTP/2 stream or an HTTP/1.1
	 * connection
	 */
	void install(Connection connection) {
		Channel channel = connection.channel();
		if (channel instanceof Http2StreamChannel && channel.pipeline().get(NAME) == null) {
			channel.pipeline().addFirst(NAME, this);
		}
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
		if (msg instanceof Http2HeadersFrame) {
			ctx.channel().attr(ANSWERED).set(Boolean.TRUE);
		}
		super.channelRead(ctx, msg);
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
		// Netty fires a GOAWAY only to the streams above its last-stream-id (and the copy
		// it fires has lost that id)
		if (event instanceof Http2GoAwayFrame goAway && ctx.channel() instanceof Http2StreamChannel stream) {
			HttpPoolStreamNotProcessedException notProcessed = new HttpPoolStreamNotProcessedException(this.clientName,
					stream.stream().id(), goAway.errorCode());
			stream.attr(FAILED).set(Boolean.TRUE);
			// an I/O failure to Reactor Netty and Spring: the RestClient would drop a
			// runtime exception's type, keeping only its IOException cause
			ctx.fireExceptionCaught(new IOException(notProcessed.getMessage(), notProcessed));
		}
		super.userEventTriggered(ctx, event);
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		// a stream that ends normally closes while its connection is still open
		if (ctx.channel() instanceof Http2StreamChannel stream && !stream.parent().isActive()
				&& stream.attr(FAILED).get() == null) {
			boolean answered = stream.attr(ANSWERED).get() != null;
			boolean reporting = !answered && stream.parent().attr(LOSS_REPORTED).setIfAbsent(Boolean.TRUE) == null;
			HttpPoolConnectionLostException lost = new HttpPoolConnectionLostException(this.clientName,
					stream.parent().id().asShortText(), stream.stream().id(), answered, reporting);
			ctx.fireExceptionCaught(new IOException(lost.getMessage(), lost));
		}
		super.channelInactive(ctx);
	}

}
