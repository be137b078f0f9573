package io.httppool;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;

import javax.net.ssl.SSLHandshakeException;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.ssl.NotSslRecordException;
import org.jspecify.annotations.Nullable;

/**
 * Names what failed in an exchange from the exceptions Netty, Reactor Netty and Spring
 * raise: the one place that reads their types and messages. Timeouts and failures the
 * starter already typed are not transport failures here.
 */
final class TransportFailures {

	private TransportFailures() {
	}

	/**
	 * Name the failure in the given cause chain.
	 * @param failure the failure as raised
	 * @return the failure and the exception that shows it, or {@code null} when the chain
	 * holds no transport failure (or a timeout, or an exception of the starter)
	 */
	static @Nullable Found find(Throwable failure) {
		Found found = null;
		for (Throwable candidate : Causes.of(failure)) {
			if (candidate instanceof HttpPoolException || isTimeout(candidate)) {
				return null;
			}
			HttpPoolTransportException.Failure kind = kind(candidate);
			if (kind != null && (found == null || found.failure() == HttpPoolTransportException.Failure.IO)) {
				found = new Found(kind, candidate);
			}
		}
		return found;
	}

	/**
	 * Return the starter's own exception in the given cause chain: those raised inside
	 * Reactor Netty travel as the cause of an {@link IOException} (the only type Reactor
	 * Netty and Spring pass through), which Spring then wraps again.
	 * @param failure the failure as raised
	 * @return the first {@link HttpPoolException} of the chain, or {@code null}
	 */
	static @Nullable HttpPoolException own(Throwable failure) {
		return Causes.find(failure, HttpPoolException.class);
	}

	private static HttpPoolTransportException.@Nullable Failure kind(Throwable candidate) {
		if (candidate instanceof UnknownHostException) {
			return HttpPoolTransportException.Failure.UNKNOWN_HOST;
		}
		if (candidate instanceof ConnectException) {
			return HttpPoolTransportException.Failure.CONNECTION_REFUSED;
		}
		if (candidate instanceof SSLHandshakeException) {
			return HttpPoolTransportException.Failure.TLS_HANDSHAKE;
		}
		if (candidate instanceof NotSslRecordException || candidate instanceof DecoderException
				|| (candidate instanceof Http2Exception http2 && http2.error() == Http2Error.PROTOCOL_ERROR)) {
			return HttpPoolTransportException.Failure.MALFORMED_RESPONSE;
		}
		String name = candidate.getClass().getSimpleName();
		if ("PrematureCloseException".equals(name) || "AbortedException".equals(name)
				|| candidate instanceof ClosedChannelException) {
			return HttpPoolTransportException.Failure.CONNECTION_CLOSED;
		}
		if (HttpPoolTransportException.isStreamAcquireFailure(candidate)) {
			return HttpPoolTransportException.Failure.STREAM_NOT_ACQUIRED;
		}
		if (candidate instanceof IOException) {
			String message = candidate.getMessage();
			return (message != null && message.contains("Connection reset"))
					? HttpPoolTransportException.Failure.CONNECTION_RESET : HttpPoolTransportException.Failure.IO;
		}
		// Netty's HTTP/1.1 decoder reports a malformed start line as a decoder result
		if (candidate instanceof IllegalArgumentException && candidate.getStackTrace().length > 0
				&& candidate.getStackTrace()[0].getClassName().startsWith("io.netty.handler.codec.http")) {
			return HttpPoolTransportException.Failure.MALFORMED_RESPONSE;
		}
		return null;
	}

	private static boolean isTimeout(Throwable candidate) {
		return candidate instanceof ConnectTimeoutException || candidate instanceof SocketTimeoutException
				|| candidate instanceof io.netty.handler.timeout.TimeoutException
				|| candidate instanceof java.util.concurrent.TimeoutException;
	}

	/**
	 * A transport failure and the exception in the chain that shows it.
	 *
	 * @param failure what failed
	 * @param cause the exception that shows it
	 */
	record Found(HttpPoolTransportException.Failure failure, Throwable cause) {

	}

}
