package io.httppool.resilience;

import java.io.IOException;

import io.httppool.HttpPoolStreamNotProcessedException;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import reactor.netty.Connection;

/**
 * Turns the GOAWAY that Netty hands to every HTTP/2 stream above the frame's
 * last-stream-id into an {@link IOException} caused by a
 * {@link HttpPoolStreamNotProcessedException}. Without it Reactor Netty reports such a
 * stream as "Connection prematurely closed BEFORE response", which cannot be told from a
 * connection lost after the server acted on the request: the request would not be retried
 * (a POST) and the breaker would count a healthy upstream rotating its connections as
 * failing.
 *
 * <p>
 * One instance per client, shared by its streams; added in front of each HTTP/2 stream's
 * pipeline when the request is sent, and a no-op for HTTP/1.1 connections.
 */
@ChannelHandler.Sharable
final class NotProcessedStreamHandler extends ChannelInboundHandlerAdapter {

	static final String NAME = "httpPoolNotProcessedStream";

	private final String clientName;

	NotProcessedStreamHandler(String clientName) {
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
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
		// Netty fires a GOAWAY only to the streams above its last-stream-id (and the copy
		// it fires has lost that id)
		if (event instanceof Http2GoAwayFrame goAway && ctx.channel() instanceof Http2StreamChannel stream) {
			HttpPoolStreamNotProcessedException notProcessed = new HttpPoolStreamNotProcessedException(this.clientName,
					stream.stream().id(), goAway.errorCode());
			// an I/O failure to Reactor Netty and Spring: the RestClient would drop a
			// runtime exception's type, keeping only its IOException cause
			ctx.fireExceptionCaught(new IOException(notProcessed.getMessage(), notProcessed));
		}
		super.userEventTriggered(ctx, event);
	}

}
