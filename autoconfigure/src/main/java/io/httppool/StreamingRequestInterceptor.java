package io.httppool;

import org.springframework.http.client.ClientHttpRequestInterceptor;

/**
 * A {@link ClientHttpRequestInterceptor} that neither reads nor replaces the request
 * body, so that a client's {@code RestClient} can run it without buffering the body.
 *
 * <p>
 * Spring buffers the whole request body into a {@code byte[]} as soon as a
 * {@code RestClient} has an interceptor (its {@code InterceptingClientHttpRequest} is an
 * {@code AbstractBufferingClientHttpRequest} in Spring Framework 7.0). The starter
 * therefore takes the interceptors out of the builder of each of its clients and runs
 * them in its own request factory, around each attempt: when every one of them is a
 * {@code StreamingRequestInterceptor}, the body streams to the network and the
 * {@code body} argument of {@link #intercept} is an empty array, which
 * {@code execution.execute} ignores; when one of them is not, the body is buffered as
 * Spring does and every interceptor gets it. The request an interceptor of this kind is
 * given is an {@link HttpPoolRestRequest}, unless an interceptor before it wrapped it.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public interface StreamingRequestInterceptor extends ClientHttpRequestInterceptor {

}
