package io.httppool;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import org.jspecify.annotations.Nullable;
import reactor.netty.Connection;
import reactor.netty.NettyPipeline;

import org.springframework.http.HttpHeaders;

/**
 * Keeps the secrets of a client's base URL below every logger. Neither Spring nor Reactor
 * Netty use the user info of a URL for authentication, yet both print URLs: Spring's URI
 * parser at TRACE, Reactor Netty at DEBUG, {@code RestClient} in its
 * {@code ResourceAccessException} messages. So Spring gets the base URL without user
 * info, the user info is sent as an {@code Authorization: Basic} default header (a
 * sensitive one), and the values of sensitive query parameters are replaced by
 * {@link HttpPoolSanitizer#MASK} above the wire and restored by a Netty handler just
 * before the request is encoded.
 */
final class BaseUrlSecrets {

	private static final String HANDLER_NAME = "httpPool.baseUrlSecrets";

	private final @Nullable String baseUrl;

	private final @Nullable String authorization;

	private final @Nullable ChannelHandler restorer;

	private BaseUrlSecrets(@Nullable String baseUrl, @Nullable String authorization,
			@Nullable ChannelHandler restorer) {
		this.baseUrl = baseUrl;
		this.authorization = authorization;
		this.restorer = restorer;
	}

	static BaseUrlSecrets of(HttpPoolClientSettings settings) {
		URI url = settings.baseUrl();
		if (url == null) {
			return new BaseUrlSecrets(null, null, null);
		}
		String userInfo = url.getUserInfo();
		String authorization = (userInfo != null) ? "Basic " + Base64.getEncoder()
			.encodeToString(((userInfo.indexOf(':') >= 0) ? userInfo : userInfo + ":").getBytes(StandardCharsets.UTF_8))
				: null;
		List<String[]> restored = new ArrayList<>();
		String query = url.getRawQuery();
		if (query != null) {
			StringBuilder masked = new StringBuilder();
			for (String parameter : query.split("&", -1)) {
				int equals = parameter.indexOf('=');
				if (equals > 0 && HttpPoolSanitizer.isSensitive(parameter.substring(0, equals))) {
					String shown = parameter.substring(0, equals + 1) + HttpPoolSanitizer.MASK;
					restored.add(new String[] { shown, parameter });
					parameter = shown;
				}
				masked.append(masked.isEmpty() ? "" : "&").append(parameter);
			}
			query = masked.toString();
		}
		String baseUrl = url.getScheme() + "://"
				+ url.getRawAuthority()
					.substring((url.getRawUserInfo() != null) ? url.getRawUserInfo().length() + 1 : 0)
				+ ((url.getRawPath() != null) ? url.getRawPath() : "") + ((query != null) ? "?" + query : "")
				+ ((url.getRawFragment() != null) ? "#" + url.getRawFragment() : "");
		return new BaseUrlSecrets(baseUrl, authorization, restored.isEmpty() ? null : new QueryRestorer(restored));
	}

	/**
	 * The base URL to give Spring: no user info, sensitive query values masked.
	 * @return the base URL, or {@code null} for none
	 */
	@Nullable String baseUrl() {
		return this.baseUrl;
	}

	/**
	 * The default headers to send: the configured ones, plus the user info as
	 * {@code Authorization: Basic} unless an {@code Authorization} header is configured.
	 * @param configured the configured default headers
	 * @return the headers to send
	 */
	Map<String, String> defaultHeaders(Map<String, String> configured) {
		if (this.authorization == null
				|| configured.keySet().stream().anyMatch(HttpHeaders.AUTHORIZATION::equalsIgnoreCase)) {
			return configured;
		}
		Map<String, String> headers = new LinkedHashMap<>(configured);
		headers.put(HttpHeaders.AUTHORIZATION, this.authorization);
		return headers;
	}

	/**
	 * Whether requests need their query restored on the wire.
	 * @return whether the base URL has sensitive query parameters
	 */
	boolean restoresQuery() {
		return this.restorer != null;
	}

	/**
	 * Install the handler that restores sensitive query values on the connection (an
	 * HTTP/1.1 connection or an HTTP/2 stream) a request is about to be written on.
	 * @param connection the connection
	 */
	void restoreQuery(Connection connection) {
		ChannelPipeline pipeline = connection.channel().pipeline();
		if (this.restorer != null && pipeline.get(HANDLER_NAME) == null
				&& pipeline.get(NettyPipeline.ReactiveBridge) != null) {
			// outbound, a request passes it before any codec encodes it
			pipeline.addBefore(NettyPipeline.ReactiveBridge, HANDLER_NAME, this.restorer);
		}
	}

	/**
	 * Puts the real values back into the request line of requests that carry the masked
	 * ones.
	 */
	@ChannelHandler.Sharable
	private static final class QueryRestorer extends ChannelOutboundHandlerAdapter {

		private final List<String[]> parameters;

		QueryRestorer(List<String[]> parameters) {
			this.parameters = parameters;
		}

		@Override
		public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
			if (msg instanceof HttpRequest request) {
				String uri = request.uri();
				int query = uri.indexOf('?');
				if (query >= 0) {
					String restored = uri.substring(query);
					for (String[] parameter : this.parameters) {
						restored = replaceParameter(restored, parameter[0], parameter[1]);
					}
					request.setUri(uri.substring(0, query) + restored);
				}
			}
			super.write(ctx, msg, promise);
		}

		private static String replaceParameter(String query, String shown, String real) {
			int from = 0;
			while (true) {
				int index = query.indexOf(shown, from);
				if (index < 0) {
					return query;
				}
				int end = index + shown.length();
				char before = query.charAt(index - 1);
				if ((before == '?' || before == '&') && (end == query.length() || query.charAt(end) == '&')) {
					return query.substring(0, index) + real + query.substring(end);
				}
				from = end;
			}
		}

	}

}
