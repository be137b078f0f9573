package io.httppool.sample.transcription;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

import io.httppool.sample.Causes;
import io.httppool.HttpPoolException;
import io.httppool.HttpPoolTransportException;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.client.PrematureCloseException;

import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * The speech-to-text API failed for good, after the starter's retries: it stayed down,
 * kept throttling, its circuit breaker is open, or it rejected the request.
 *
 * @author http-pool team
 */
public class UpstreamException extends RuntimeException {

	private final String clientName;

	private final HttpStatus status;

	UpstreamException(String clientName, HttpStatus status, String message, Throwable cause) {
		super(message, cause);
		this.clientName = clientName;
		this.status = status;
	}

	/**
	 * Describe a failure of the given client.
	 * @param clientName the client the request went through
	 * @param failure what the client raised
	 * @return the exception, 502 when the upstream rejected the request (4xx but 429),
	 * 503 otherwise
	 */
	static UpstreamException of(String clientName, Throwable failure) {
		if (failure instanceof UpstreamException upstream) {
			return upstream;
		}
		HttpPoolException poolFailure = Causes.find(failure, HttpPoolException.class);
		String client = (poolFailure != null) ? poolFailure.getClientName() : clientName;
		if (failure instanceof WebClientResponseException response) {
			int status = response.getStatusCode().value();
			boolean rejected = status >= 400 && status < 500 && status != 429;
			return new UpstreamException(client, rejected ? HttpStatus.BAD_GATEWAY : HttpStatus.SERVICE_UNAVAILABLE,
					"upstream '" + client + "' answered " + status + ": " + upstreamMessage(response), failure);
		}
		return new UpstreamException(client, HttpStatus.SERVICE_UNAVAILABLE,
				"upstream '" + client + "' is unavailable: " + describe(failure, poolFailure), failure);
	}

	/**
	 * What went wrong, without the addresses and library details that the messages of
	 * network exceptions carry: those go to the log only.
	 */
	private static String describe(Throwable failure, @Nullable HttpPoolException poolFailure) {
		if (poolFailure instanceof HttpPoolTransportException transport) {
			// its message quotes the network exception, addresses included
			return transport.getFailure().description();
		}
		if (poolFailure != null) {
			// the starter's own messages name the client and the setting to tune
			return poolFailure.getMessage();
		}
		if (Causes.find(failure, ConnectTimeoutException.class) != null) {
			return "connecting timed out";
		}
		if (Causes.find(failure, ConnectException.class) != null) {
			return "the connection was refused";
		}
		if (Causes.find(failure, UnknownHostException.class) != null) {
			return "its host name could not be resolved";
		}
		if (Causes.find(failure, TimeoutException.class) != null
				|| Causes.find(failure, ReadTimeoutException.class) != null) {
			return "it did not answer in time";
		}
		if (Causes.find(failure, PrematureCloseException.class) != null) {
			return "it closed the connection before answering";
		}
		return "the request failed (" + failure.getClass().getSimpleName() + "), see the server log";
	}

	/**
	 * Return the name of the http-pool client whose upstream failed.
	 * @return the client name
	 */
	public String getClientName() {
		return this.clientName;
	}

	/**
	 * Return the status to answer with.
	 * @return 502 or 503
	 */
	public HttpStatus getStatus() {
		return this.status;
	}

	private static String upstreamMessage(WebClientResponseException response) {
		try {
			OpenAiError error = response.getResponseBodyAs(OpenAiError.class);
			if (error != null && error.error() != null && error.error().message() != null) {
				return error.error().message();
			}
		}
		catch (RuntimeException ex) {
			// not OpenAI error JSON: fall back to the status line
		}
		return response.getStatusText();
	}

	record OpenAiError(@Nullable Detail error) {

		record Detail(@Nullable String message) {
		}

	}

}
