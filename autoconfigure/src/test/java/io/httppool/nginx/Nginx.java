package io.httppool.nginx;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/**
 * A real nginx, started by a test in a directory of its own with a configuration the test
 * generates: HTTP/1.1, HTTP/2 over clear text (prior knowledge) or HTTP/2 over TLS (with
 * a self-signed certificate for {@code localhost} and {@code 127.0.0.1} generated with
 * {@code openssl} in that directory), on a loopback port chosen at run time,
 * {@code return 200} on every path, one access log line per request with the connection's
 * serial number and the request's {@code X-Request-Id}.
 *
 * <p>
 * nginx runs with its master process ({@code master_process on}, {@code daemon off}): the
 * JVM starts child processes with {@code SIGQUIT} blocked, and a master-less nginx
 * inherits that mask, so it never sees a graceful stop. A master sets its own signal mask
 * and its workers unblock every signal, so {@code kill -QUIT <master pid>} stops it
 * gracefully from the JVM ({@link #stop(Signal)}); {@link #start()} starts it again on
 * the same port. {@link #close()} stops it by PID, {@code TERM} first and {@code KILL}
 * last. Used only where an nginx binary is installed ({@link #assumeInstalled()}).
 */
final class Nginx implements AutoCloseable {

	/**
	 * Requests nginx serves on one connection before it closes it (HTTP/1.1) or sends
	 * GOAWAY (HTTP/2): nginx's default {@code keepalive_requests}.
	 */
	static final int REQUESTS_PER_CONNECTION = 1000;

	/**
	 * Request header whose value nginx logs, to count duplicates.
	 */
	static final String REQUEST_ID = "X-Request-Id";

	private static final Path SYSTEM_BINARY = Path.of("/usr/sbin/nginx");

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

	private static final Pattern VERSION = Pattern.compile("nginx/(\\d+)\\.(\\d+)\\.(\\d+)");

	private static final int START_ATTEMPTS = 3;

	/**
	 * What nginx speaks on its port.
	 */
	enum Protocol {

		/**
		 * HTTP/1.1 over clear text.
		 */
		HTTP1("http1"),

		/**
		 * HTTP/2 over clear text, prior knowledge.
		 */
		H2C("h2c"),

		/**
		 * HTTP/2 over TLS (ALPN).
		 */
		H2("h2");

		private final String property;

		Protocol(String property) {
			this.property = property;
		}

		/**
		 * Return the value of the client's {@code protocol} property for this protocol.
		 * @return the property value
		 */
		String property() {
			return this.property;
		}

	}

	/**
	 * Signals that stop nginx.
	 */
	enum Signal {

		/**
		 * Graceful stop: finish the requests in flight, then exit.
		 */
		QUIT,

		/**
		 * Fast stop: close every connection at once.
		 */
		TERM

	}

	private final Path binary;

	private final int[] version;

	private final String build;

	private final Path directory;

	private final Protocol protocol;

	private final Duration keepaliveTimeout;

	private final int keepaliveRequests;

	private int port;

	private @Nullable Process process;

	private Nginx(Path binary, Path directory, Protocol protocol, Duration keepaliveTimeout, int keepaliveRequests) {
		this.binary = binary;
		this.version = version(binary);
		this.build = run(binary.toString(), "-V");
		this.directory = directory;
		this.protocol = protocol;
		this.keepaliveTimeout = keepaliveTimeout;
		this.keepaliveRequests = keepaliveRequests;
	}

	/**
	 * Whether an nginx binary is installed.
	 * @return whether {@code /usr/sbin/nginx} or an {@code nginx} on the {@code PATH}
	 * exists
	 */
	static boolean isInstalled() {
		return binary() != null;
	}

	/**
	 * Skip the calling test class, loudly, where nginx is not installed: a message on
	 * standard error and in the assumption, never a silent skip.
	 */
	static void assumeInstalled() {
		if (!isInstalled()) {
			String message = "SKIPPED: nginx is not installed (no /usr/sbin/nginx, no nginx on the PATH), so the tests"
					+ " against a real nginx do not run; install it (apt-get install nginx) to run them";
			System.err.println("*** " + message + " ***");
			Assumptions.abort(message);
		}
	}

	private static @Nullable Path binary() {
		if (Files.isExecutable(SYSTEM_BINARY)) {
			return SYSTEM_BINARY;
		}
		String path = System.getenv("PATH");
		if (path != null) {
			for (String entry : path.split(File.pathSeparator)) {
				Path candidate = Path.of(entry, "nginx");
				if (!entry.isEmpty() && Files.isExecutable(candidate)) {
					return candidate;
				}
			}
		}
		return null;
	}

	/**
	 * Configure an nginx speaking the given protocol; configuration, pid file, logs,
	 * certificate and temporary files all go in the given directory.
	 * @param directory an empty directory the caller deletes
	 * @param protocol what nginx speaks
	 * @return a builder
	 */
	static Builder in(Path directory, Protocol protocol) {
		return new Builder(directory, protocol);
	}

	/**
	 * Start nginx and wait until it accepts connections; the first start chooses the port
	 * (a port taken between choosing it and nginx binding it is retried with another), a
	 * restart after {@link #stop(Signal)} reuses it.
	 * @return this nginx
	 */
	Nginx start() {
		if (this.process != null && this.process.isAlive()) {
			throw new IllegalStateException("nginx is running");
		}
		String failure = "";
		for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
			boolean newPort = this.port == 0;
			if (newPort) {
				this.port = freePort();
			}
			Process started = launch();
			Awaitility.await("nginx accepting connections on port " + this.port)
				.atMost(COMMAND_TIMEOUT)
				.pollInterval(Duration.ofMillis(20))
				.until(() -> !started.isAlive() || accepts(this.port));
			if (started.isAlive()) {
				this.process = started;
				return this;
			}
			failure = read(this.directory.resolve("nginx.out")) + read(this.directory.resolve("error.log"));
			if (!newPort || !failure.contains("Address already in use")) {
				break;
			}
			this.port = 0;
		}
		throw new IllegalStateException("nginx did not start:\n" + failure);
	}

	/**
	 * Send a signal to the master process by PID and wait until nginx (master and
	 * workers) has exited.
	 * @param signal the signal
	 */
	void stop(Signal signal) {
		Process master = this.process;
		if (master == null || !master.isAlive()) {
			return;
		}
		List<ProcessHandle> all = new ArrayList<>(master.descendants().toList());
		run("kill", "-" + signal.name(), Long.toString(master.pid()));
		try {
			if (!master.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				throw new IllegalStateException("nginx (pid " + master.pid() + ") did not stop on SIG" + signal);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		Awaitility.await("nginx workers exiting")
			.atMost(COMMAND_TIMEOUT)
			.until(() -> all.stream().noneMatch(ProcessHandle::isAlive));
	}

	/**
	 * Return the PID of the master process.
	 * @return the PID
	 */
	long pid() {
		Process master = this.process;
		if (master == null) {
			throw new IllegalStateException("nginx is not running");
		}
		return master.pid();
	}

	/**
	 * Whether nginx is running.
	 * @return whether the master process is alive
	 */
	boolean isRunning() {
		Process master = this.process;
		return master != null && master.isAlive();
	}

	/**
	 * Base URL of this nginx.
	 * @return {@code http://127.0.0.1:<port>}, or {@code https://} for HTTP/2 over TLS
	 */
	String baseUrl() {
		return ((this.protocol == Protocol.H2) ? "https" : "http") + "://127.0.0.1:" + this.port;
	}

	/**
	 * Return the protocol nginx speaks.
	 * @return the protocol
	 */
	Protocol protocol() {
		return this.protocol;
	}

	/**
	 * Properties that point the given client at this nginx: base URL, protocol, and for
	 * TLS an SSL bundle that trusts the generated certificate.
	 * @param client the client name
	 * @return the properties, as {@code key=value}
	 */
	List<String> clientProperties(String client) {
		String prefix = "http.pool.clients." + client + ".";
		List<String> properties = new ArrayList<>(
				List.of(prefix + "base-url=" + baseUrl(), prefix + "protocol=" + this.protocol.property()));
		if (this.protocol == Protocol.H2) {
			properties.add("spring.ssl.bundle.pem.nginx.truststore.certificate=file:" + certificate());
			properties.add(prefix + "ssl.bundle=nginx");
		}
		return properties;
	}

	/**
	 * The requests nginx logged so far, in the order it finished them.
	 * @return one entry per access log line
	 */
	List<LoggedRequest> accessLog() {
		Path log = this.directory.resolve("access.log");
		if (!Files.exists(log)) {
			return List.of();
		}
		try {
			return Files.readAllLines(log, StandardCharsets.UTF_8)
				.stream()
				.filter((line) -> !line.isBlank())
				.map(LoggedRequest::parse)
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Stop nginx by PID: {@code TERM} (fast shutdown), then {@code KILL} for every
	 * process of it still running after 10 s.
	 */
	@Override
	public void close() {
		Process master = this.process;
		if (master == null || !master.isAlive()) {
			return;
		}
		List<ProcessHandle> all = new ArrayList<>(master.descendants().toList());
		all.add(master.toHandle());
		try {
			stop(Signal.TERM);
		}
		catch (RuntimeException ex) {
			all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
			throw ex;
		}
	}

	private Process launch() {
		try {
			if (this.protocol == Protocol.H2 && !Files.exists(certificate())) {
				generateCertificate();
			}
			Path config = this.directory.resolve("nginx.conf");
			Files.writeString(config, config(), StandardCharsets.UTF_8);
			Files.deleteIfExists(this.directory.resolve("error.log"));
			ProcessBuilder builder = new ProcessBuilder(this.binary.toString(), "-p", this.directory + File.separator,
					"-c", config.toString());
			if (atLeast(this.version, 1, 19, 5)) {
				// error log from the first line on, before the configuration is read
				builder.command().addAll(List.of("-e", this.directory.resolve("error.log").toString()));
			}
			return builder.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.directory.resolve("nginx.out").toFile()))
				.directory(this.directory.toFile())
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private Path certificate() {
		return this.directory.resolve("cert.pem");
	}

	private void generateCertificate() {
		String output = run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
				"-nodes", "-days", "2", "-subj", "/CN=localhost", "-addext",
				"subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", this.directory.resolve("key.pem").toString(),
				"-out", certificate().toString());
		if (!Files.exists(certificate())) {
			throw new IllegalStateException("openssl did not generate a certificate:\n" + output);
		}
	}

	private String config() {
		String dir = this.directory.toString();
		// every temporary directory inside ours: the compiled-in ones may not be writable
		StringBuilder temporaryPaths = new StringBuilder("client_body_temp_path " + dir + "/client_body;");
		for (String module : List.of("proxy", "fastcgi", "uwsgi", "scgi")) {
			if (!this.build.contains("--without-http_" + module + "_module")) {
				temporaryPaths.append("\n\t")
					.append(module)
					.append("_temp_path ")
					.append(dir)
					.append('/')
					.append(module)
					.append(';');
			}
		}
		String address = "127.0.0.1:" + this.port;
		boolean http2 = this.protocol != Protocol.HTTP1;
		boolean tls = this.protocol == Protocol.H2;
		String listen;
		if (atLeast(this.version, 1, 25, 1)) {
			listen = "listen " + address + (tls ? " ssl" : "") + ";" + (http2 ? "\n\t\thttp2 on;" : "");
		}
		else {
			listen = "listen " + address + (tls ? " ssl" : "") + (http2 ? " http2" : "") + ";";
		}
		if (tls) {
			listen += "\n\t\tssl_certificate " + certificate() + ";\n\t\tssl_certificate_key "
					+ this.directory.resolve("key.pem") + ";";
		}
		// before 1.19.7 HTTP/2 connections had their own limit, http2_max_requests
		String requestsPerConnection = (http2 && !atLeast(this.version, 1, 19, 7)) ? "http2_max_requests"
				: "keepalive_requests";
		return """
				# generated by io.httppool.nginx.Nginx
				daemon off;
				master_process on;
				worker_processes 1;
				pid %1$s/nginx.pid;
				lock_file %1$s/nginx.lock;
				error_log %1$s/error.log notice;
				events {
					worker_connections 1024;
				}
				http {
					access_log off;
					%5$s
					log_format perconnection '$connection $connection_requests $request_method $request_uri $status "$http_x_request_id"';
					%2$s %3$d;
					keepalive_timeout %6$dms;
					server {
						%4$s
						access_log %1$s/access.log perconnection;
						location / {
							return 200 "ok";
						}
						location /post/ {
							return 200 "posted";
						}
					}
				}
				"""
			.formatted(dir, requestsPerConnection, this.keepaliveRequests, listen, temporaryPaths,
					this.keepaliveTimeout.toMillis());
	}

	private static int[] version(Path binary) {
		String output = run(binary.toString(), "-v");
		Matcher matcher = VERSION.matcher(output);
		if (!matcher.find()) {
			throw new IllegalStateException("Unexpected output of " + binary + " -v: " + output);
		}
		return new int[] { Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)),
				Integer.parseInt(matcher.group(3)) };
	}

	private static boolean atLeast(int[] version, int major, int minor, int patch) {
		return java.util.Arrays.compare(version, new int[] { major, minor, patch }) >= 0;
	}

	private static String run(String... command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			byte[] output = process.getInputStream().readAllBytes();
			if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException(String.join(" ", command) + " did not end");
			}
			return new String(output, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	// the port may be taken again before nginx binds it: start() retries then
	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static boolean accepts(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static String read(Path file) {
		try {
			return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
		}
		catch (IOException ex) {
			return "(" + file + ": " + ex + ")\n";
		}
	}

	/**
	 * Builder of an {@link Nginx}.
	 */
	static final class Builder {

		private final Path directory;

		private final Protocol protocol;

		private Duration keepaliveTimeout = Duration.ofSeconds(75);

		private int keepaliveRequests = REQUESTS_PER_CONNECTION;

		private Builder(Path directory, Protocol protocol) {
			this.directory = directory;
			this.protocol = protocol;
		}

		/**
		 * Set {@code keepalive_timeout} (nginx's default: 75 s).
		 * @param timeout how long an idle connection stays open
		 * @return this
		 */
		Builder keepaliveTimeout(Duration timeout) {
			this.keepaliveTimeout = timeout;
			return this;
		}

		/**
		 * Set {@code keepalive_requests} (nginx's default: 1000).
		 * @param requests requests per connection
		 * @return this
		 */
		Builder keepaliveRequests(int requests) {
			this.keepaliveRequests = requests;
			return this;
		}

		/**
		 * Start nginx.
		 * @return the running nginx
		 */
		Nginx start() {
			assumeInstalled();
			Path binary = binary();
			if (binary == null) {
				throw new IllegalStateException("nginx is not installed");
			}
			return new Nginx(binary, this.directory, this.protocol, this.keepaliveTimeout, this.keepaliveRequests)
				.start();
		}

	}

	/**
	 * One line of nginx's access log.
	 *
	 * @param connection serial number of the connection ({@code $connection})
	 * @param connectionRequests how many requests this connection had carried, this one
	 * included ({@code $connection_requests})
	 * @param method the request method
	 * @param uri the request URI, query included
	 * @param status the status nginx answered
	 * @param requestId the request's {@value Nginx#REQUEST_ID} header, or {@code -}
	 */
	record LoggedRequest(long connection, int connectionRequests, String method, String uri, int status,
			String requestId) {

		static LoggedRequest parse(String line) {
			String[] fields = line.trim().split(" ");
			if (fields.length != 6) {
				throw new IllegalStateException("Unexpected access log line: " + line);
			}
			return new LoggedRequest(Long.parseLong(fields[0]), Integer.parseInt(fields[1]), fields[2], fields[3],
					Integer.parseInt(fields[4]), fields[5].replace("\"", ""));
		}

	}

}
