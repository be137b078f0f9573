package io.httppool.autoconfigure;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import io.httppool.test.Actuator;
import io.httppool.test.TestConnectProxy;
import io.httppool.test.TestUpstream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpProtocol;
import reactor.netty.resources.LoopResources;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Plants secrets everywhere a user puts them (a sensitive default header, a per-request
 * {@code Authorization} header, proxy credentials, a password in the base URL's user
 * info, an {@code ?api_key=} in the base URL) and runs real requests over HTTP/1.1, h2c
 * and h2 over TLS, through a CONNECT proxy, with {@code wiretap=true} and every logger at
 * TRACE, including requests that fail with connection refused. No secret (nor the base64
 * of a {@code user:password}) may appear in any log event, any exception message of a
 * failure, or the {@code env}, {@code configprops} and {@code httppools} endpoints with
 * {@code show-values=always}.
 */
class HttpPoolPlantedSecretsIntegrationTests {

	private static final String HEADER_SECRET = "hdrSecret4711Q";

	private static final String REQUEST_TOKEN = "reqToken8812Z";

	private static final String PROXY_USER = "proxyuser";

	private static final String PROXY_PASSWORD = "proxyPass5521K";

	private static final String URL_USER = "svc";

	private static final String URL_PASSWORD = "urlPass9931M";

	private static final String QUERY_KEY = "qryKey7720W";

	private static final Map<String, String> SECRETS = secrets();

	private static final List<String> CLIENTS = List.of("h1", "h2c", "h2");

	private static final Pattern HEX_DUMP_ROW = Pattern.compile("(?m)^\\|[0-9a-f]{8}\\|((?: [0-9a-f]{2}){1,16})");

	@Test
	void whenSecretsArePlantedEverywhereThenNoLogExceptionOrEndpointShowsThem() throws Exception {
		Queue<ILoggingEvent> events = new ConcurrentLinkedQueue<>();
		Queue<Received> received = new ConcurrentLinkedQueue<>();
		List<String> exceptionMessages = new ArrayList<>();
		Map<String, String> endpoints = new LinkedHashMap<>();
		LoopResources upstreamLoops = LoopResources.create("upstream", 1, true);
		Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		Level rootLevel = root.getLevel();
		try (AllLoggersAtTrace capture = new AllLoggersAtTrace(events);
				TestUpstream http1 = upstream(upstreamLoops, received, HttpProtocol.HTTP11).start();
				TestUpstream h2c = upstream(upstreamLoops, received, HttpProtocol.HTTP11, HttpProtocol.H2C).start();
				TestUpstream h2 = upstream(upstreamLoops, received, HttpProtocol.H2, HttpProtocol.HTTP11).tls().start();
				TestConnectProxy proxy = new TestConnectProxy()) {
			int closedPort = closedPort();
			Map<String, Object> properties = new LinkedHashMap<>();
			properties.put("server.port", "0");
			properties.put("management.endpoints.web.exposure.include", "env,configprops,httppools");
			properties.put("management.endpoint.env.show-values", "always");
			properties.put("management.endpoint.configprops.show-values", "always");
			properties.put("http.pool.shutdown-timeout", "1s");
			properties.put(TestUpstream.trustBundleProperties("upstream")[0].split("=", 2)[0],
					TestUpstream.trustBundleProperties("upstream")[0].split("=", 2)[1]);
			Map<String, String> ports = Map.of("h1", "127.0.0.1:" + http1.port(), "h2c", "127.0.0.1:" + h2c.port(),
					"h2", "localhost:" + h2.port());
			for (String client : CLIENTS) {
				String scheme = client.equals("h2") ? "https" : "http";
				String protocol = client.equals("h1") ? "http1" : client;
				plant(properties, client, scheme + "://" + ports.get(client), protocol);
				properties.put("http.pool.clients." + client + ".proxy.host", "127.0.0.1");
				properties.put("http.pool.clients." + client + ".proxy.port", String.valueOf(proxy.port()));
				properties.put("http.pool.clients." + client + ".proxy.username", PROXY_USER);
				properties.put("http.pool.clients." + client + ".proxy.password", PROXY_PASSWORD);
				String down = client + "down";
				plant(properties, down,
						scheme + "://" + (client.equals("h2") ? "localhost" : "127.0.0.1") + ":" + closedPort,
						protocol);
				properties.put("http.pool.clients." + down + ".retry.max-attempts", "2");
				properties.put("http.pool.clients." + down + ".retry.initial-backoff", "10ms");
			}
			SpringApplication application = new SpringApplication(App.class);
			application.setWebApplicationType(WebApplicationType.REACTIVE);
			application.setDefaultProperties(properties);
			// Boot's logging system would reset the levels and the appender set up here
			application.setListeners(application.getListeners()
				.stream()
				.filter((listener) -> !(listener instanceof LoggingApplicationListener))
				.toList());
			try (ConfigurableApplicationContext context = application.run()) {
				for (String client : CLIENTS) {
					WebClient webClient = context.getBean(client + "WebClient", WebClient.class);
					RestClient restClient = context.getBean(client + "RestClient", RestClient.class);
					assertThat(webClient.get()
						.uri("/items/1")
						.header(HttpHeaders.AUTHORIZATION, "Bearer " + REQUEST_TOKEN)
						.retrieve()
						.bodyToMono(String.class)
						.block(Duration.ofSeconds(10))).isEqualTo("ok");
					assertThat(webClient.get()
						.uri("/items/2")
						.retrieve()
						.bodyToMono(String.class)
						.block(Duration.ofSeconds(10))).isEqualTo("ok");
					assertThat(restClient.get()
						.uri("/items/3")
						.header(HttpHeaders.AUTHORIZATION, "Bearer " + REQUEST_TOKEN)
						.retrieve()
						.body(String.class)).isEqualTo("ok");
					assertThat(restClient.get().uri("/items/4").retrieve().body(String.class)).isEqualTo("ok");
					WebClient downWebClient = context.getBean(client + "downWebClient", WebClient.class);
					RestClient downRestClient = context.getBean(client + "downRestClient", RestClient.class);
					exceptionMessages.addAll(messages(catchThrowable(() -> downWebClient.get()
						.uri("/items/5")
						.header(HttpHeaders.AUTHORIZATION, "Bearer " + REQUEST_TOKEN)
						.retrieve()
						.bodyToMono(String.class)
						.block(Duration.ofSeconds(10)))));
					exceptionMessages.addAll(messages(catchThrowable(() -> downRestClient.get()
						.uri("/items/6")
						.header(HttpHeaders.AUTHORIZATION, "Bearer " + REQUEST_TOKEN)
						.retrieve()
						.body(String.class))));
				}
				Actuator actuator = new Actuator(context.getEnvironment().getProperty("local.server.port", int.class));
				for (String path : List.of("/env", "/env/http.pool.clients.h1.proxy.password", "/configprops",
						"/httppools", "/httppools/h1")) {
					Actuator.Response response = actuator.get(path);
					assertThat(response.status()).as(path).isEqualTo(200);
					endpoints.put(path, response.body());
				}
			}
			assertThat(proxy.authorizations()).isNotEmpty().containsOnly("Basic " + base64(PROXY_USER, PROXY_PASSWORD));
		}
		finally {
			upstreamLoops.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).block();
		}
		assertThat(root.getLevel()).as("root logger level restored").isEqualTo(rootLevel);
		assertThat(root.iteratorForAppenders()).as("appenders restored").toIterable().isNotEmpty();
		assertThat(exceptionMessages).as("the failing requests failed").hasSizeGreaterThanOrEqualTo(6);
		SoftAssertions softly = new SoftAssertions();
		assertSecretsWereSent(softly, received);
		assertThat(endpoints.get("/env")).as("env shows the planted keys")
			.contains("http.pool.clients.h1.proxy.password");
		endpoints.forEach((path, body) -> softly.assertThat(leaks(body))
			.as("secrets in /actuator" + path + ": " + excerpts(body))
			.isEmpty());
		for (String message : exceptionMessages) {
			softly.assertThat(leaks(message)).as("secrets in the exception message: " + message).isEmpty();
		}
		List<String> leakingEvents = new ArrayList<>();
		int checked = 0;
		for (ILoggingEvent event : events) {
			if (event.getThreadName().startsWith("upstream")) {
				// the upstream server receives the secrets: that is the point
				continue;
			}
			checked++;
			String text = text(event);
			Set<String> leaked = leaks(text);
			if (!leaked.isEmpty()) {
				leakingEvents
					.add(event.getLevel() + " " + event.getLoggerName() + " " + leaked + ": " + excerpts(text));
			}
		}
		assertThat(checked).as("log events captured").isGreaterThan(1000);
		for (String client : List.of("h2c", "h2")) {
			softly.assertThat(events)
				.filteredOn((event) -> event.getLoggerName().equals("reactor.netty.http.client.HttpClient." + client))
				.as("sanitized HTTP/2 frames logged for " + client)
				.map(ILoggingEvent::getFormattedMessage)
				.anyMatch((message) -> message.contains("OUTBOUND HEADERS: streamId=")
						&& message.contains("/api/items/3?api_key=******&v=1")
						&& message.contains("authorization: ******") && message.contains("x-api-key: ******"))
				.anyMatch((message) -> message.contains("INBOUND HEADERS: streamId=")
						&& message.contains(":status: 200"));
		}
		softly.assertThat(events)
			.filteredOn((event) -> event.getLoggerName().equals("reactor.netty.http.client.HttpClient.h1"))
			.as("wiretap of h1")
			.map(ILoggingEvent::getFormattedMessage)
			.anyMatch((message) -> message.contains("WRITE: "));
		softly.assertThat(leakingEvents).as("log events showing secrets").isEmpty();
		softly.assertAll();
	}

	private static TestUpstream.Builder upstream(LoopResources loops, Queue<Received> received,
			HttpProtocol... protocols) {
		return TestUpstream.speaking(protocols).runOn(loops).handler((request, response) -> {
			received.add(new Received(request.protocol(), request.uri(),
					request.requestHeaders().get(HttpHeaders.AUTHORIZATION),
					request.requestHeaders().get("X-Api-Key")));
			return response.sendString(Mono.just("ok"));
		});
	}

	private static void plant(Map<String, Object> properties, String client, String origin, String protocol) {
		String prefix = "http.pool.clients." + client + ".";
		properties.put(prefix + "base-url", origin.replace("://", "://" + URL_USER + ":" + URL_PASSWORD + "@")
				+ "/api?api_key=" + QUERY_KEY + "&v=1");
		properties.put(prefix + "protocol", protocol);
		properties.put(prefix + "wiretap", "true");
		properties.put(prefix + "ssl.bundle", "upstream");
		properties.put(prefix + "default-headers.X-Api-Key", HEADER_SECRET);
	}

	private static void assertSecretsWereSent(SoftAssertions softly, Queue<Received> received) {
		softly.assertThat(received).as("requests the upstreams answered").hasSize(12);
		softly.assertThat(received).extracting(Received::protocol).filteredOn("HTTP/2.0"::equals).hasSize(8);
		for (Received request : received) {
			softly.assertThat(request.uri()).as("query").contains("api_key=" + QUERY_KEY + "&v=1");
			softly.assertThat(request.apiKey()).as("default header").isEqualTo(HEADER_SECRET);
			String expected = (request.uri().contains("/items/1") || request.uri().contains("/items/3"))
					? "Bearer " + REQUEST_TOKEN : "Basic " + base64(URL_USER, URL_PASSWORD);
			softly.assertThat(request.authorization()).as("Authorization of " + request.uri()).isEqualTo(expected);
		}
	}

	private static Map<String, String> secrets() {
		Map<String, String> secrets = new LinkedHashMap<>();
		secrets.put("default header", HEADER_SECRET);
		secrets.put("request header", REQUEST_TOKEN);
		secrets.put("proxy password", PROXY_PASSWORD);
		secrets.put("proxy credentials (base64)", base64(PROXY_USER, PROXY_PASSWORD));
		secrets.put("user-info password", URL_PASSWORD);
		secrets.put("user-info credentials (base64)", base64(URL_USER, URL_PASSWORD));
		secrets.put("query key", QUERY_KEY);
		return secrets;
	}

	private static String base64(String user, String password) {
		return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	private static Set<String> leaks(String text) {
		String decoded = text + "\n" + decodeHexDumps(text);
		Set<String> leaked = new java.util.TreeSet<>();
		SECRETS.forEach((name, secret) -> {
			if (decoded.contains(secret)) {
				leaked.add(name);
			}
		});
		return leaked;
	}

	private static String excerpts(String text) {
		String decoded = text + "\n" + decodeHexDumps(text);
		StringBuilder excerpts = new StringBuilder();
		for (String secret : SECRETS.values()) {
			int index = decoded.indexOf(secret);
			if (index >= 0) {
				excerpts.append(" [...")
					.append(decoded, Math.max(0, index - 120), Math.min(decoded.length(), index + secret.length() + 20))
					.append("...]");
			}
		}
		return excerpts.toString().replace('\n', ' ');
	}

	// Netty's hex dumps split text into rows of 16 bytes: join the bytes again
	private static String decodeHexDumps(String text) {
		Matcher row = HEX_DUMP_ROW.matcher(text);
		StringBuilder bytes = new StringBuilder();
		while (row.find()) {
			for (String hex : row.group(1).trim().split(" ")) {
				bytes.append((char) Integer.parseInt(hex, 16));
			}
		}
		return bytes.toString();
	}

	private static String text(ILoggingEvent event) {
		StringBuilder text = new StringBuilder(event.getFormattedMessage());
		appendThrowable(text, event.getThrowableProxy(), new IdentityHashMap<>());
		return text.toString();
	}

	private static void appendThrowable(StringBuilder text, IThrowableProxy proxy,
			IdentityHashMap<IThrowableProxy, Boolean> seen) {
		if (proxy == null || seen.put(proxy, true) != null) {
			return;
		}
		text.append('\n').append(proxy.getClassName()).append(": ").append(proxy.getMessage());
		appendThrowable(text, proxy.getCause(), seen);
		for (IThrowableProxy suppressed : proxy.getSuppressed()) {
			appendThrowable(text, suppressed, seen);
		}
	}

	private static List<String> messages(Throwable failure) {
		assertThat(failure).as("the request to a closed port failed").isNotNull();
		List<String> messages = new ArrayList<>();
		collect(failure, messages, new IdentityHashMap<>());
		return messages;
	}

	private static void collect(Throwable failure, List<String> messages, IdentityHashMap<Throwable, Boolean> seen) {
		if (failure == null || seen.put(failure, true) != null) {
			return;
		}
		messages.add(failure.toString());
		collect(failure.getCause(), messages, seen);
		for (Throwable suppressed : failure.getSuppressed()) {
			collect(suppressed, messages, seen);
		}
	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/**
	 * What an upstream received.
	 */
	record Received(String protocol, String uri, String authorization, String apiKey) {

	}

	/**
	 * Every Logback logger at TRACE and every event captured, until closed; then the
	 * previous levels are restored.
	 */
	private static final class AllLoggersAtTrace implements AutoCloseable {

		private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

		private final Map<Logger, Level> levels = new LinkedHashMap<>();

		private final AppenderBase<ILoggingEvent> appender;

		private final List<Appender<ILoggingEvent>> detached = new ArrayList<>();

		AllLoggersAtTrace(Queue<ILoggingEvent> events) {
			// the root logger is in the list too
			for (Logger logger : this.context.getLoggerList()) {
				if (logger.getLevel() != null) {
					this.levels.put(logger, logger.getLevel());
					logger.setLevel(Level.TRACE);
				}
			}
			Logger root = this.context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
			root.setLevel(Level.TRACE);
			this.appender = new AppenderBase<>() {
				@Override
				protected void append(ILoggingEvent event) {
					event.prepareForDeferredProcessing();
					events.add(event);
				}
			};
			this.appender.setContext(this.context);
			this.appender.start();
			// tens of thousands of TRACE lines would flood the test report
			root.iteratorForAppenders().forEachRemaining(this.detached::add);
			this.detached.forEach(root::detachAppender);
			root.addAppender(this.appender);
		}

		@Override
		public void close() {
			Logger root = this.context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
			root.detachAppender(this.appender);
			this.appender.stop();
			this.detached.forEach(root::addAppender);
			for (Logger logger : this.context.getLoggerList()) {
				if (!this.levels.containsKey(logger)) {
					logger.setLevel(null);
				}
			}
			this.levels.forEach(Logger::setLevel);
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

}
