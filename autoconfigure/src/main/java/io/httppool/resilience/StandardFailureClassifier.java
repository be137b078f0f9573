package io.httppool.resilience;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

import javax.net.ssl.SSLHandshakeException;

import io.httppool.HttpPoolException;
import io.httppool.HttpPoolExhaustedException;
import io.httppool.HttpPoolStreamNotProcessedException;
import io.httppool.HttpPoolTimeoutException;
import io.netty.channel.ChannelException;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import org.jspecify.annotations.Nullable;

/**
 * Walks the cause chain: a cause that proves the request was never sent wins over a
 * generic I/O failure further up (Spring wraps Netty's exceptions).
 */
final class StandardFailureClassifier implements FailureClassifier {

	static final StandardFailureClassifier INSTANCE = new StandardFailureClassifier();

	private static final int MAX_DEPTH = 16;

	private StandardFailureClassifier() {
	}

	@Override
	public FailureKind classify(Throwable failure) {
		boolean transport = false;
		int depth = 0;
		for (Throwable candidate = failure; candidate != null && depth < MAX_DEPTH; candidate = next(candidate)) {
			depth++;
			if (candidate instanceof HttpPoolExhaustedException) {
				return FailureKind.POOL;
			}
			if (candidate instanceof HttpPoolStreamNotProcessedException notProcessed) {
				// a GOAWAY for an error (ENHANCE_YOUR_CALM, INTERNAL_ERROR) is a failing
				// upstream, which the breaker counts
				return notProcessed.isGraceful() ? FailureKind.NOT_PROCESSED : FailureKind.CONNECT;
			}
			if (candidate instanceof HttpPoolTimeoutException timeout) {
				// a connect timeout sent nothing; the others may have reached the
				// upstream
				return switch (timeout.getKind()) {
					case CONNECT -> FailureKind.CONNECT;
					case RESPONSE, READ, WRITE -> FailureKind.TRANSPORT;
					case DEADLINE -> FailureKind.OTHER;
				};
			}
			if (candidate instanceof HttpPoolException || candidate instanceof InterruptedException
					|| (candidate instanceof InterruptedIOException
							&& !(candidate instanceof SocketTimeoutException))) {
				return FailureKind.OTHER;
			}
			if (candidate instanceof ConnectException || candidate instanceof UnknownHostException
					|| candidate instanceof NoRouteToHostException || candidate instanceof SSLHandshakeException
					|| isRefusedStream(candidate)) {
				return FailureKind.CONNECT;
			}
			// IOException: reset, broken pipe, premature close; ChannelException:
			// Netty's read/write timeouts (Reactor Netty's response timeout)
			transport = transport || candidate instanceof IOException || candidate instanceof ChannelException
					|| candidate instanceof Http2Exception || isAborted(candidate);
		}
		return transport ? FailureKind.TRANSPORT : FailureKind.OTHER;
	}

	private static @Nullable Throwable next(Throwable candidate) {
		Throwable cause = candidate.getCause();
		return (cause != candidate) ? cause : null;
	}

	// RFC 9113 8.7: a refused stream was not processed
	private static boolean isRefusedStream(Throwable candidate) {
		return candidate instanceof Http2Exception http2 && http2.error() == Http2Error.REFUSED_STREAM;
	}

	// reactor.netty.channel.AbortedException: the connection closed while sending
	private static boolean isAborted(Throwable candidate) {
		return "AbortedException".equals(candidate.getClass().getSimpleName());
	}

}
