package io.httppool.test;

import java.io.File;
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

import org.awaitility.Awaitility;

/**
 * A real {@code redis-server} on a free loopback port, without persistence, for tests.
 * Started by {@link #start()}, stopped by its process (PID) with {@link #stop()} or
 * {@link #close()}. Tests skip when {@link #isInstalled()} says no.
 */
public final class RedisServer implements AutoCloseable {

	private static final Path EXECUTABLE = Path.of("/usr/bin/redis-server");

	private final Process process;

	private final int port;

	private RedisServer(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	/**
	 * Return whether {@code redis-server} is installed.
	 * @return whether the tests can start one
	 */
	public static boolean isInstalled() {
		return Files.isExecutable(EXECUTABLE);
	}

	/**
	 * Start a server and wait until it answers {@code PING}.
	 * @return the running server
	 * @throws IOException if it cannot be started
	 */
	public static RedisServer start() throws IOException {
		IOException failure = null;
		for (int attempt = 0; attempt < 3; attempt++) {
			int port = freePort();
			File log = File.createTempFile("redis-server", ".log");
			log.deleteOnExit();
			Process process = new ProcessBuilder(List.of(EXECUTABLE.toString(), "--port", String.valueOf(port),
					"--bind", "127.0.0.1", "--save", "", "--appendonly", "no"))
				.redirectErrorStream(true)
				.redirectOutput(log)
				.start();
			RedisServer server = new RedisServer(process, port);
			try {
				Awaitility.await("redis-server on port " + port)
					.atMost(Duration.ofSeconds(10))
					.pollInterval(Duration.ofMillis(20))
					.until(() -> !process.isAlive() || server.answersPing());
				if (process.isAlive()) {
					return server;
				}
				failure = new IOException("redis-server exited: " + Files.readString(log.toPath()));
			}
			catch (RuntimeException ex) {
				server.stop();
				failure = new IOException("redis-server did not answer on port " + port, ex);
			}
		}
		throw failure;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private boolean answersPing() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 200);
			socket.setSoTimeout(500);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] reply = new byte[7];
			int read = in.read(reply);
			return read > 0 && new String(reply, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Return the port the server listens on.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Return the process id, for the record.
	 * @return the PID
	 */
	public long pid() {
		return this.process.pid();
	}

	/**
	 * Stop the server (SIGTERM to its PID, SIGKILL after 5 s) and wait until it exited.
	 */
	public void stop() {
		if (!this.process.isAlive()) {
			return;
		}
		this.process.destroy();
		try {
			if (!this.process.waitFor(5, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		stop();
	}

}
