package io.httppool;

import java.util.Map;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Frame;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2PushPromiseFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrame;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.netty.Connection;
import reactor.netty.NettyPipeline;
import reactor.netty.ReactorNetty;

/**
 * With {@code wiretap=true}, logs every HTTP/2 frame of a connection at DEBUG, as Reactor
 * Netty's frame logger would, but with the values of sensitive headers and query
 * parameters masked by {@link HttpPoolSanitizer} and DATA frames as sizes. It sits
 * between the frame codec and the stream multiplexer of the connection, so it sees the
 * frames of all streams, from the connection's first request on.
 */
@ChannelHandler.Sharable
final class SanitizedHttp2FrameLogger extends ChannelDuplexHandler {

	private static final String HANDLER_NAME = "httpPool.h2FrameLogger";

	private final Log logger;

	SanitizedHttp2FrameLogger(String category) {
		this.logger = LogFactory.getLog(category);
	}

	/**
	 * Install the logger on the HTTP/2 connection of the stream a request is about to be
	 * sent on; does nothing for HTTP/1.1 connections or when DEBUG is off.
	 * @param connection the connection of the request
	 */
	void install(Connection connection) {
		if (!this.logger.isDebugEnabled() || !(connection.channel() instanceof Http2StreamChannel stream)) {
			return;
		}
		ChannelPipeline pipeline = stream.parent().pipeline();
		if (pipeline.get(HANDLER_NAME) == null && pipeline.get(NettyPipeline.H2MultiplexHandler) != null) {
			pipeline.addBefore(NettyPipeline.H2MultiplexHandler, HANDLER_NAME, this);
		}
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
		log(ctx.channel(), "INBOUND", msg);
		super.channelRead(ctx, msg);
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
		if (msg instanceof Http2HeadersFrame) {
			// the codec gives a new stream its id while it writes the HEADERS frame
			super.write(ctx, msg, promise);
			log(ctx.channel(), "OUTBOUND", msg);
			return;
		}
		// before the write: the codec releases the content of a DATA frame
		log(ctx.channel(), "OUTBOUND", msg);
		super.write(ctx, msg, promise);
	}

	private void log(Channel channel, String direction, Object msg) {
		if (msg instanceof Http2Frame frame && this.logger.isDebugEnabled()) {
			this.logger.debug(ReactorNetty.format(channel, direction + " " + describe(frame)));
		}
	}

	static String describe(Http2Frame frame) {
		if (frame instanceof Http2HeadersFrame headers) {
			return "HEADERS: streamId=" + streamId(headers) + " endStream=" + headers.isEndStream() + " headers="
					+ describe(headers.headers());
		}
		if (frame instanceof Http2PushPromiseFrame promise) {
			return "PUSH_PROMISE: streamId=" + streamId(promise) + " headers=" + describe(promise.http2Headers());
		}
		if (frame instanceof Http2DataFrame data) {
			return "DATA: streamId=" + streamId(data) + " endStream=" + data.isEndStream() + " bytes="
					+ data.content().readableBytes() + " padding=" + data.padding();
		}
		// SETTINGS, PING, GOAWAY, RST_STREAM, WINDOW_UPDATE: codes and sizes, never bytes
		return frame.name() + ": " + frame;
	}

	private static String describe(Http2Headers headers) {
		StringBuilder text = new StringBuilder("[");
		for (Map.Entry<CharSequence, CharSequence> header : headers) {
			String name = header.getKey().toString();
			text.append((text.length() > 1) ? ", " : "")
				.append(name)
				.append(": ")
				.append(HttpPoolSanitizer.isSensitive(name) ? HttpPoolSanitizer.MASK
						: HttpPoolSanitizer.sanitize(header.getValue().toString()));
		}
		return text.append(']').toString();
	}

	private static int streamId(Http2StreamFrame frame) {
		Http2FrameStream stream = frame.stream();
		return (stream != null) ? stream.id() : -1;
	}

}
