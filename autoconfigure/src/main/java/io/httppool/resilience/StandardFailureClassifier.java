package io.httppool.resilience;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

import javax.net.ssl.SSLHandshakeException;

import io.httppool.Causes;
import io.httppool.HttpPoolConnectionLostException;
import io.httppool.HttpPoolException;
import io.httppool.HttpPoolExhaustedException;
import io.httppool.HttpPoolStreamNotProcessedException;
import io.httppool.HttpPoolTimeoutException;
import io.httppool.HttpPoolTransportException;
import io.netty.channel.ChannelException;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;

/**
 * Walks the cause chain: a cause that proves the request was never sent wins over a
 * generic I/O failure further up (Spring wraps Netty's exceptions).
 */
final class StandardFailureClassifier implements FailureClassifier {

	static final StandardFailureClassifier INSTANCE = new StandardFailureClassifier();

	private StandardFailureClassifier() {
	}

	@Override
	public FailureKind classify(Throwable failure) {
		boolean transport = false;
		for (Throwable candidate : Causes.of(failure)) {
			if (candidate instanceof HttpPoolExhaustedException) {
				return FailureKind.POOL;
			}
			if (candidate instanceof HttpPoolTransportException typed) {
				// named once by the client guard: no connection means never sent
				if (typed.getFailure() == HttpPoolTransportException.Failure.STREAM_NOT_ACQUIRED) {
					return FailureKind.NOT_PROCESSED;
				}
				return typed.getFailure().mayHaveBeenSent() ? FailureKind.TRANSPORT : FailureKind.CONNECT;
			}
			if (candidate instanceof HttpPoolConnectionLostException lost) {
				return lost.isReportingStream() ? FailureKind.TRANSPORT : FailureKind.LOST_WITH_CONNECTION;
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
			if (isAcquireFailure(candidate)) {
				return FailureKind.NOT_PROCESSED;
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

	// Reactor Netty gave up on the connection (HTTP/1.1) or the stream (HTTP/2) that the
	// pool handed out for this request, before writing anything: the connection closed,
	// or a GOAWAY made it refuse new streams, between the acquire and the first write,
	// twice in a row ("Error while acquiring from <pool>[. Max active streams is
	// reached.]", DefaultPooledConnectionProvider and Http2ConnectionProvider). Nothing
	// about the upstream's health, and nothing was sent.
	private static boolean isAcquireFailure(Throwable candidate) {
		return HttpPoolTransportException.isStreamAcquireFailure(candidate);
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
