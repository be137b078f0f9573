package io.httppool;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.handler.timeout.WriteTimeoutException;
import io.netty.handler.timeout.WriteTimeoutHandler;
import org.jspecify.annotations.Nullable;
import reactor.netty.NettyPipeline;

/**
 * Turns the timeouts of one client into {@link HttpPoolTimeoutException}s where they
 * fire, in the channel, so that both clients and every phase (before the response, while
 * its body streams) see the same typed exception. Netty's own exceptions say nothing
 * ({@code ReadTimeoutException: null}) and the response timeout and the read timeout
 * raise the same one.
 *
 * <ul>
 * <li>response timeout: Reactor Netty's handler raises {@code ReadTimeoutException};
 * {@link #translator()}, added once per HTTP/1.1 connection in front of Reactor Netty's
 * bridge, replaces it. HTTP/2 streams get no translator (it would be a pipeline change
 * per request): {@link ClientGuard} types a response timeout before the response; one
 * that fires while an HTTP/2 body streams stays Netty's exception, in the cause chain
 * (set a read timeout to have it typed);</li>
 * <li>read and write timeouts: the handlers of {@link #readTimeoutHandler()} and
 * {@link #writeTimeoutHandler()} raise the typed exception themselves;</li>
 * <li>connect timeout: raised outside any channel, mapped by {@link ClientGuard} with
 * {@link #connect(Throwable)}.</li>
 * </ul>
 * Exceptions are built only when a timeout fires.
 */
final class TypedTimeouts {

	static final String TRANSLATOR = "httpPoolTimeouts";

	private final String clientName;

	private final HttpPoolClientSettings.Timeouts timeouts;

	private final Translator translator = new Translator();

	TypedTimeouts(HttpPoolClientSettings settings) {
		this.clientName = settings.name();
		this.timeouts = settings.timeouts();
	}

	ChannelHandler translator() {
		return this.translator;
	}

	/**
	 * Add the translator to a connection or stream whose pipeline has Reactor Netty's
	 * bridge, once.
	 * @param channel an HTTP/1.1 connection or an HTTP/2 stream
	 */
	void install(Channel channel) {
		ChannelPipeline pipeline = channel.pipeline();
		if (pipeline.get(NettyPipeline.ReactiveBridge) != null && pipeline.get(TRANSLATOR) == null) {
			pipeline.addBefore(NettyPipeline.ReactiveBridge, TRANSLATOR, this.translator);
		}
	}

	HttpPoolTimeoutException connect(@Nullable Throwable cause) {
		return new HttpPoolTimeoutException(this.clientName, HttpPoolTimeoutException.Kind.CONNECT,
				this.timeouts.connectTimeout(), cause);
	}

	HttpPoolTimeoutException response(@Nullable Throwable cause) {
		return new HttpPoolTimeoutException(this.clientName, HttpPoolTimeoutException.Kind.RESPONSE,
				this.timeouts.responseTimeout(), cause);
	}

	private HttpPoolTimeoutException timeout(HttpPoolTimeoutException.Kind kind, @Nullable Duration timeout,
			Throwable cause) {
		return new HttpPoolTimeoutException(this.clientName, kind, (timeout != null) ? timeout : Duration.ZERO, cause);
	}

	/**
	 * A new read timeout handler, for one response. Only for a client with a read
	 * timeout.
	 * @return the handler
	 */
	ChannelHandler readTimeoutHandler() {
		Duration timeout = Objects.requireNonNull(this.timeouts.readTimeout(), "no read timeout is set");
		return new TypedReadTimeoutHandler(timeout.toMillis());
	}

	/**
	 * A new write timeout handler, for one request. Only for a client with a write
	 * timeout.
	 * @return the handler
	 */
	ChannelHandler writeTimeoutHandler() {
		Duration timeout = Objects.requireNonNull(this.timeouts.writeTimeout(), "no write timeout is set");
		return new TypedWriteTimeoutHandler(timeout.toMillis());
	}

	/**
	 * Find the timeout in the cause chain of a failed exchange (before the response
	 * arrived, so a bare {@code ReadTimeoutException} is the response timeout). Spring's
	 * {@code RestClient} keeps only the cause of a runtime exception from Reactor Netty,
	 * so there the typed exception is built again from Netty's.
	 * @param failure the failure as the client reported it
	 * @return the typed timeout, or {@code null}
	 */
	@Nullable HttpPoolTimeoutException find(Throwable failure) {
		for (Throwable candidate : Causes.of(failure)) {
			if (candidate instanceof HttpPoolTimeoutException timeout) {
				return timeout;
			}
			if (candidate instanceof ConnectTimeoutException) {
				return connect(candidate);
			}
			if (candidate instanceof ReadTimeoutException) {
				return response(candidate);
			}
			if (candidate instanceof WriteTimeoutException) {
				return timeout(HttpPoolTimeoutException.Kind.WRITE, this.timeouts.writeTimeout(), candidate);
			}
		}
		return null;
	}

	static boolean isTimeout(Throwable failure) {
		for (Throwable candidate : Causes.of(failure)) {
			if (candidate instanceof HttpPoolTimeoutException || candidate instanceof ConnectTimeoutException
					|| candidate instanceof io.netty.handler.timeout.TimeoutException) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Replaces the {@code ReadTimeoutException} of Reactor Netty's response timeout (and
	 * any other Netty timeout that reaches it untyped).
	 */
	@ChannelHandler.Sharable
	private final class Translator extends ChannelInboundHandlerAdapter {

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			if (cause instanceof ReadTimeoutException) {
				ctx.fireExceptionCaught(response(cause));
			}
			else if (cause instanceof WriteTimeoutException) {
				ctx.fireExceptionCaught(timeout(HttpPoolTimeoutException.Kind.WRITE,
						TypedTimeouts.this.timeouts.writeTimeout(), cause));
			}
			else {
				ctx.fireExceptionCaught(cause);
			}
		}

	}

	private final class TypedReadTimeoutHandler extends ReadTimeoutHandler {

		private boolean closed;

		TypedReadTimeoutHandler(long millis) {
			super(millis, TimeUnit.MILLISECONDS);
		}

		@Override
		protected void readTimedOut(ChannelHandlerContext ctx) {
			if (!this.closed) {
				ctx.fireExceptionCaught(timeout(HttpPoolTimeoutException.Kind.READ,
						TypedTimeouts.this.timeouts.readTimeout(), ReadTimeoutException.INSTANCE));
				ctx.close();
				this.closed = true;
			}
		}

	}

	private final class TypedWriteTimeoutHandler extends WriteTimeoutHandler {

		private boolean closed;

		TypedWriteTimeoutHandler(long millis) {
			super(millis, TimeUnit.MILLISECONDS);
		}

		@Override
		protected void writeTimedOut(ChannelHandlerContext ctx) {
			if (!this.closed) {
				ctx.fireExceptionCaught(timeout(HttpPoolTimeoutException.Kind.WRITE,
						TypedTimeouts.this.timeouts.writeTimeout(), WriteTimeoutException.INSTANCE));
				ctx.close();
				this.closed = true;
			}
		}

	}

}
