package io.httppool.benchmarks.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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

/**
 * Debian's nginx, started by the harness with a generated configuration and a self-signed
 * certificate under {@code target/}, on free loopback ports: TLS with HTTP/2 on one port,
 * TLS with HTTP/1.1 only on another, and {@code stub_status} on a third, from whose
 * {@code accepts} counter the harness reads the connections each run opened.
 *
 * <p>
 * nginx runs with its master process and {@code daemon off}, so the process the harness
 * starts is the master. A JVM starts children with SIGQUIT blocked, so nginx's graceful
 * stop cannot reach it; {@link #close()} sends SIGTERM (nginx's fast shutdown) to that
 * PID.
 *
 * @author http-pool team
 */
final class Nginx implements AutoCloseable {

	private static final Pattern ACCEPTS = Pattern.compile("server accepts handled requests\\s+(\\d+)");

	private final Path directory;

	private final Path certificate;

	private final int h2Port;

	private final int h1Port;

	private final int statusPort;

	private final Process process;

	private Nginx(Path directory, Path certificate, int h2Port, int h1Port, int statusPort, Process process) {
		this.directory = directory;
		this.certificate = certificate;
		this.h2Port = h2Port;
		this.h1Port = h1Port;
		this.statusPort = statusPort;
		this.process = process;
	}

	static Nginx start(Path directory, int delayPort, int workers) throws Exception {
		Files.createDirectories(directory);
		for (String temp : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) {
			Files.createDirectories(directory.resolve("temp").resolve(temp));
		}
		Path certificate = directory.resolve("cert.pem");
		Path key = directory.resolve("key.pem");
		if (!Files.exists(certificate) || !Files.exists(key)) {
			exec(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
					"-nodes", "-keyout", key.toString(), "-out", certificate.toString(), "-days", "30", "-subj",
					"/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"));
		}
		// another process may take a free port before nginx binds it: try new ones
		for (int attempt = 1;; attempt++) {
			try {
				return start(directory, certificate, key, delayPort, workers);
			}
			catch (IllegalStateException ex) {
				if (attempt == 3) {
					throw ex;
				}
			}
		}
	}

	private static Nginx start(Path directory, Path certificate, Path key, int delayPort, int workers)
			throws Exception {
		int h2Port = freePort();
		int h1Port = freePort();
		int statusPort = freePort();
		Path config = directory.resolve("nginx.conf");
		Files.writeString(config, config(directory, certificate, key, h2Port, h1Port, statusPort, delayPort, workers));
		Files.deleteIfExists(directory.resolve("error.log"));
		Process process = new ProcessBuilder("/usr/sbin/nginx", "-p", directory.toString(), "-c", config.toString())
			.redirectErrorStream(true)
			.redirectOutput(directory.resolve("nginx.out").toFile())
			.start();
		Nginx nginx = new Nginx(directory, certificate, h2Port, h1Port, statusPort, process);
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (true) {
			try {
				nginx.accepts();
				return nginx;
			}
			catch (IOException ex) {
				if (!process.isAlive() || System.nanoTime() > deadline) {
					nginx.close();
					throw new IllegalStateException(
							"nginx did not start: " + Files.readString(directory.resolve("nginx.out"))
									+ readIfExists(directory.resolve("error.log")));
				}
				Thread.sleep(50);
			}
		}
	}

	private static String config(Path directory, Path certificate, Path key, int h2Port, int h1Port, int statusPort,
			int delayPort, int workers) {
		Path temp = directory.resolve("temp");
		return """
				daemon off;
				master_process on;
				worker_processes %d;
				pid %s;
				error_log %s warn;
				events {
					worker_connections 16384;
				}
				http {
					access_log off;
					default_type text/plain;
					client_body_temp_path %s;
					proxy_temp_path %s;
					fastcgi_temp_path %s;
					uwsgi_temp_path %s;
					scgi_temp_path %s;
					# one connection for the whole run: no request cap, no idle close
					keepalive_requests 1000000000;
					keepalive_timeout 600s;
					http2_max_concurrent_streams 1024;
					client_max_body_size 2m;
					client_body_buffer_size 2m;
					upstream delay {
						server 127.0.0.1:%d;
						keepalive 1024;
					}
					server {
						listen 127.0.0.1:%d ssl http2;
						listen 127.0.0.1:%d ssl;
						ssl_certificate %s;
						ssl_certificate_key %s;
						location = /get {
							return 200 "ok";
						}
						# nginx reads the whole body (a return would answer first and reset the
						# HTTP/2 stream), then asks the upstream without it: the upstream is not
						# nginx, so stub_status counts client connections only
						location = /upload {
							proxy_pass http://delay/ok;
							proxy_pass_request_body off;
							proxy_set_header Content-Length "";
							proxy_http_version 1.1;
							proxy_set_header Connection "";
						}
						location = /delay {
							proxy_pass http://delay/delay;
							proxy_http_version 1.1;
							proxy_set_header Connection "";
						}
					}
					server {
						listen 127.0.0.1:%d;
						location = /status {
							stub_status;
						}
					}
				}
				""".formatted(workers, directory.resolve("nginx.pid"), directory.resolve("error.log"),
				temp.resolve("client_body"), temp.resolve("proxy"), temp.resolve("fastcgi"), temp.resolve("uwsgi"),
				temp.resolve("scgi"), delayPort, h2Port, h1Port, certificate, key, statusPort);
	}

	String baseUrl(Target.Protocol protocol) {
		return "https://127.0.0.1:" + ((protocol == Target.Protocol.H2) ? this.h2Port : this.h1Port);
	}

	Path certificate() {
		return this.certificate;
	}

	Path directory() {
		return this.directory;
	}

	/**
	 * Connections nginx has accepted so far, this status request's own included.
	 */
	long accepts() throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.statusPort), 1000);
			socket.setSoTimeout(5000);
			OutputStream out = socket.getOutputStream();
			out.write("GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
			Matcher matcher = ACCEPTS.matcher(response);
			if (!matcher.find()) {
				throw new IOException("Unexpected stub_status response: " + response);
			}
			return Long.parseLong(matcher.group(1));
		}
	}

	@Override
	public void close() throws InterruptedException {
		// SIGTERM to the master's PID: fast shutdown, workers included
		this.process.destroy();
		if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static String readIfExists(Path file) throws IOException {
		return Files.exists(file) ? Files.readString(file) : "";
	}

	static void exec(List<String> command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (process.waitFor() != 0) {
			throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
		}
	}

}
