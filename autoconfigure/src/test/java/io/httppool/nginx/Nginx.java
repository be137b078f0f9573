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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;

/**
 * A real nginx, started by a test in a directory of its own with a configuration the test
 * generates: HTTP/2 over clear text (prior knowledge) on a loopback port chosen at
 * runtime, {@code keepalive_requests 1000} (after 1000 requests on a connection nginx
 * sends GOAWAY), {@code return 200} on every path, one access log line per request with
 * the connection's serial number. Used only where an nginx binary is installed
 * ({@link #isInstalled()}); stop it with {@link #close()}.
 */
final class Nginx implements AutoCloseable {

	/**
	 * Requests nginx serves on one connection before it sends GOAWAY.
	 */
	static final int REQUESTS_PER_CONNECTION = 1000;

	private static final Path SYSTEM_BINARY = Path.of("/usr/sbin/nginx");

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

	private static final Pattern VERSION = Pattern.compile("nginx/(\\d+)\\.(\\d+)\\.(\\d+)");

	private static final int START_ATTEMPTS = 3;

	private final Process process;

	private final Path directory;

	private final int port;

	private Nginx(Process process, Path directory, int port) {
		this.process = process;
		this.directory = directory;
		this.port = port;
	}

	/**
	 * Whether an nginx binary is installed, for {@code @EnabledIf}.
	 * @return whether {@code /usr/sbin/nginx} or an {@code nginx} on the {@code PATH}
	 * exists
	 */
	static boolean isInstalled() {
		return binary() != null;
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
	 * Start nginx in the given directory (configuration, pid file, logs and temporary
	 * files all go there) and wait until it accepts connections. A port taken between
	 * choosing it and nginx binding it is retried with another port.
	 * @param directory an empty directory the caller deletes
	 * @return the running nginx
	 */
	static Nginx start(Path directory) {
		Path binary = binary();
		if (binary == null) {
			throw new IllegalStateException("nginx is not installed");
		}
		int[] version = version(binary);
		String build = run(binary.toString(), "-V");
		String failure = "";
		for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
			int port = freePort();
			Process process = launch(binary, version, build, directory, port);
			Awaitility.await("nginx accepting connections on port " + port)
				.atMost(COMMAND_TIMEOUT)
				.pollInterval(Duration.ofMillis(50))
				.until(() -> !process.isAlive() || accepts(port));
			if (process.isAlive()) {
				return new Nginx(process, directory, port);
			}
			failure = read(directory.resolve("nginx.out")) + read(directory.resolve("error.log"));
			if (!failure.contains("Address already in use")) {
				break;
			}
		}
		throw new IllegalStateException("nginx did not start:\n" + failure);
	}

	/**
	 * Base URL of this nginx.
	 * @return {@code http://127.0.0.1:<port>}
	 */
	String baseUrl() {
		return "http://127.0.0.1:" + this.port;
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
	 * Stop nginx: TERM (fast shutdown), then KILL if it is still running after 10 s.
	 */
	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	private static Process launch(Path binary, int[] version, String build, Path directory, int port) {
		try {
			Path config = directory.resolve("nginx.conf");
			Files.writeString(config, config(version, build, directory, port), StandardCharsets.UTF_8);
			Files.deleteIfExists(directory.resolve("error.log"));
			ProcessBuilder builder = new ProcessBuilder(binary.toString(), "-p", directory + File.separator, "-c",
					config.toString());
			if (atLeast(version, 1, 19, 5)) {
				// error log from the first line on, before the configuration is read
				builder.command().addAll(List.of("-e", directory.resolve("error.log").toString()));
			}
			return builder.redirectErrorStream(true)
				.redirectOutput(directory.resolve("nginx.out").toFile())
				.directory(directory.toFile())
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String config(int[] version, String build, Path directory, int port) {
		String dir = directory.toString();
		// every temporary directory inside ours: the compiled-in ones may not be writable
		StringBuilder temporaryPaths = new StringBuilder("client_body_temp_path " + dir + "/client_body;");
		for (String module : List.of("proxy", "fastcgi", "uwsgi", "scgi")) {
			if (!build.contains("--without-http_" + module + "_module")) {
				temporaryPaths.append("\n\t")
					.append(module)
					.append("_temp_path ")
					.append(dir)
					.append('/')
					.append(module)
					.append(';');
			}
		}
		String listen = atLeast(version, 1, 25, 1) ? "listen 127.0.0.1:" + port + ";\n\t\thttp2 on;"
				: "listen 127.0.0.1:" + port + " http2;";
		// before 1.19.7 HTTP/2 connections had their own limit, http2_max_requests
		String requestsPerConnection = atLeast(version, 1, 19, 7) ? "keepalive_requests" : "http2_max_requests";
		return """
				# generated by io.httppool.nginx.Nginx
				daemon off;
				master_process off;
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
					log_format perconnection '$connection $connection_requests $request_method $request_uri $status';
					%2$s %3$d;
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
				""".formatted(dir, requestsPerConnection, REQUESTS_PER_CONNECTION, listen, temporaryPaths);
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
	 * One line of nginx's access log.
	 *
	 * @param connection serial number of the connection ({@code $connection})
	 * @param connectionRequests how many requests this connection had carried, this one
	 * included ({@code $connection_requests})
	 * @param method the request method
	 * @param uri the request URI, query included
	 * @param status the status nginx answered
	 */
	record LoggedRequest(long connection, int connectionRequests, String method, String uri, int status) {

		static LoggedRequest parse(String line) {
			String[] fields = line.trim().split(" ");
			if (fields.length != 5) {
				throw new IllegalStateException("Unexpected access log line: " + line);
			}
			return new LoggedRequest(Long.parseLong(fields[0]), Integer.parseInt(fields[1]), fields[2], fields[3],
					Integer.parseInt(fields[4]));
		}

	}

}
