package io.httppool;

import java.util.List;

import org.jspecify.annotations.Nullable;
import reactor.netty.http.client.HttpClient;

import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Callback to adjust a named client in code, beyond what {@code http.pool.*} properties
 * offer. Every customizer bean is called once per client at startup, in
 * {@link org.springframework.core.Ordered order}; nothing runs per request.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public interface HttpPoolClientCustomizer {

	/**
	 * Adjust the Reactor Netty client that both the {@code WebClient} and the
	 * {@code RestClient} of the client run on. Turning on Reactor Netty's own
	 * {@code wiretap} here stops startup, because its HTTP/2 frame and proxy loggers
	 * print headers and credentials; the {@code wiretap} property logs without them.
	 * @param settings the client's effective settings
	 * @param httpClient the client built from the settings
	 * @return the client to use, usually {@code httpClient} with more configuration
	 */
	default HttpClient customizeHttpClient(HttpPoolClientSettings settings, HttpClient httpClient) {
		return httpClient;
	}

	/**
	 * Adjust the {@code WebClient} builder of the client (filters, codecs, headers).
	 * @param settings the client's effective settings
	 * @param builder the builder, already holding the base URL, default headers and
	 * connector
	 */
	default void customizeWebClient(HttpPoolClientSettings settings, WebClient.Builder builder) {
	}

	/**
	 * Adjust the {@code RestClient} builder of the client (converters, headers, status
	 * handlers). Interceptors added to the builder run around each attempt, inside the
	 * retry, but make the client buffer every request body unless each of them is a
	 * {@link StreamingRequestInterceptor}; see
	 * {@link #customizeRestClientInterceptors(HttpPoolClientSettings, List)}.
	 * @param settings the client's effective settings
	 * @param builder the builder, already holding the base URL, default headers and
	 * request factory
	 */
	default void customizeRestClient(HttpPoolClientSettings settings, RestClient.Builder builder) {
	}

	/**
	 * Adjust the interceptors the client's {@code RestClient} runs around each attempt,
	 * outermost first: those the builder held after
	 * {@link #customizeRestClient(HttpPoolClientSettings, RestClient.Builder)}, then what
	 * each customizer adds here, in customizer order; the client's guard comes last. They
	 * run in the client's request factory and not as Spring's interceptors, which would
	 * buffer every request body: the body streams when every one of them is a
	 * {@link StreamingRequestInterceptor}.
	 * @param settings the client's effective settings
	 * @param interceptors the interceptors, to add to or reorder
	 * @since 0.1.0
	 */
	default void customizeRestClientInterceptors(HttpPoolClientSettings settings,
			List<ClientHttpRequestInterceptor> interceptors) {
	}

	/**
	 * Return a recorder the client's guard tells about every attempt when it ends (see
	 * {@link HttpPoolAttemptRecorder}), or {@code null} for none. The recorders of all
	 * customizers are told in customizer order; one that throws is logged and the others
	 * still run. With no recorder at all the guard only counts attempts and reads no
	 * clock.
	 * @param settings the client's effective settings
	 * @return the recorder of this client's attempts, or {@code null}
	 * @since 0.2.0
	 */
	default @Nullable HttpPoolAttemptRecorder attemptRecorder(HttpPoolClientSettings settings) {
		return null;
	}

}
