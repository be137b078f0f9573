package io.httppool.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small TCP proxy on a loopback port, for tests: it forwards to a target and can, on
 * command, refuse connections (stop listening), reset them, black-hole new ones (accept
 * and never answer) or the ones already open ({@link #blackHoleOpenConnections()}:
 * forwarding stops both ways, without FIN or RST, as when a NAT or firewall forgets a
 * flow), or slow them down. Close it after the test ({@link AutoCloseable}).
 */
public final class TcpProxy implements AutoCloseable {

	/**
	 * What the proxy does with the next connections.
	 */
	public enum Mode {

		/**
		 * Forward both ways.
		 */
		PASS,

		/**
		 * Read the request, then reset the connection (RST).
		 */
		RESET,

		/**
		 * Read and discard the request, never answer.
		 */
		BLACK_HOLE,

		/**
		 * Forward, waiting {@link TcpProxy#slowDelay(Duration)} before each chunk sent
		 * back.
		 */
		SLOW,

		/**
		 * Forward the request, forward the first {@link TcpProxy#cutAfter(int)} bytes of
		 * the answer, then close the connection (FIN) in the middle of the response.
		 */
		TRUNCATE,

		/**
		 * Forward the request, forward the first {@link TcpProxy#cutAfter(int)} bytes of
		 * the answer, then reset the connection (RST) in the middle of the response.
		 */
		RESET_MID_RESPONSE,

		/**
		 * Read the request, answer with bytes that are not HTTP, then close.
		 */
		GARBAGE

	}

	private final InetSocketAddress target;

	private final int port;

	private final ExecutorService threads = Executors.newCachedThreadPool((runnable) -> {
		Thread thread = new Thread(runnable, "tcp-proxy");
		thread.setDaemon(true);
		return thread;
	});

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private final AtomicInteger accepted = new AtomicInteger();

	private final Set<Link> links = ConcurrentHashMap.newKeySet();

	private volatile Mode mode = Mode.PASS;

	private volatile Duration slowDelay = Duration.ofMillis(200);

	private volatile int cutAfter = 16 * 1024;

	private volatile ServerSocket server;

	public TcpProxy(int targetPort) {
		this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
		this.server = bind(0);
		this.port = this.server.getLocalPort();
		listen(this.server);
	}

	public int port() {
		return this.port;
	}

	public String baseUrl() {
		return "http://127.0.0.1:" + this.port;
	}

	public int accepted() {
		return this.accepted.get();
	}

	/**
	 * Base URL of the proxy with the given scheme, for a TLS upstream behind it:
	 * {@code https://localhost:<port>} matches the test certificate.
	 * @param scheme {@code http} or {@code https}
	 * @return the base URL
	 */
	public String baseUrl(String scheme) {
		return scheme + "://" + ("https".equals(scheme) ? "localhost" : "127.0.0.1") + ":" + this.port;
	}

	/**
	 * Stop forwarding on every connection open now, both ways, for good: bytes sent on
	 * them are read and dropped, nothing is closed (no FIN, no RST). Connections accepted
	 * afterwards follow the {@link #mode(Mode) mode}.
	 * @return how many connections went silent
	 */
	public int blackHoleOpenConnections() {
		int count = 0;
		for (Link link : this.links) {
			link.silent = true;
			count++;
		}
		return count;
	}

	public TcpProxy mode(Mode mode) {
		this.mode = mode;
		return this;
	}

	public TcpProxy slowDelay(Duration delay) {
		this.slowDelay = delay;
		return this;
	}

	/**
	 * How many bytes of the answer {@link Mode#TRUNCATE} and
	 * {@link Mode#RESET_MID_RESPONSE} forward before they cut the connection.
	 * @param bytes the byte count
	 * @return this
	 */
	public TcpProxy cutAfter(int bytes) {
		this.cutAfter = bytes;
		return this;
	}

	/**
	 * Close the listening socket: connections to the port are refused until
	 * {@link #startListening()}.
	 */
	public synchronized void stopListening() {
		closeQuietly(this.server);
	}

	/**
	 * Listen again on the same port.
	 */
	public synchronized void startListening() {
		if (this.server.isClosed()) {
			this.server = bind(this.port);
			listen(this.server);
		}
	}

	private static ServerSocket bind(int port) {
		try {
			ServerSocket socket = new ServerSocket();
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
			return socket;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void listen(ServerSocket server) {
		this.threads.execute(() -> {
			while (!server.isClosed()) {
				try {
					Socket client = server.accept();
					this.accepted.incrementAndGet();
					this.sockets.add(client);
					this.threads.execute(() -> handle(client, this.mode));
				}
				catch (IOException ex) {
					return;
				}
			}
		});
	}

	private void handle(Socket client, Mode mode) {
		boolean close = true;
		try {
			switch (mode) {
				case RESET -> {
					client.getInputStream().read(new byte[8192]);
					client.setSoLinger(true, 0);
					client.close();
				}
				case BLACK_HOLE -> {
					InputStream in = client.getInputStream();
					byte[] buffer = new byte[8192];
					while (in.read(buffer) >= 0) {
						// discard
					}
				}
				case GARBAGE -> {
					client.getInputStream().read(new byte[8192]);
					OutputStream out = client.getOutputStream();
					out.write("\u0000\u0017garbage, not HTTP\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
					out.flush();
				}
				case PASS, SLOW, TRUNCATE, RESET_MID_RESPONSE -> {
					Socket upstream = new Socket();
					this.sockets.add(upstream);
					upstream.connect(this.target, 5000);
					Link link = new Link();
					this.links.add(link);
					long limit = (mode == Mode.TRUNCATE || mode == Mode.RESET_MID_RESPONSE) ? this.cutAfter
							: Long.MAX_VALUE;
					try {
						this.threads.execute(() -> pump(client, upstream, link, false, Long.MAX_VALUE));
						if (!pump(upstream, client, link, mode == Mode.SLOW, limit)
								&& mode == Mode.RESET_MID_RESPONSE) {
							client.setSoLinger(true, 0);
						}
					}
					finally {
						this.links.remove(link);
						// a silent connection is never closed towards the client
						close = !link.silent;
					}
				}
			}
		}
		catch (IOException ex) {
			// connection closed
		}
		finally {
			if (close) {
				closeQuietly(client);
			}
		}
	}

	/**
	 * Copy bytes until either side closes or {@code limit} bytes went through.
	 * @return whether the copy ended because a side closed (not at the limit)
	 */
	private boolean pump(Socket from, Socket to, Link link, boolean slow, long limit) {
		long copied = 0;
		try {
			InputStream in = from.getInputStream();
			OutputStream out = to.getOutputStream();
			byte[] buffer = new byte[8192];
			int read;
			while ((read = in.read(buffer)) >= 0) {
				if (link.silent) {
					// dropped, as by a firewall that forgot the flow
					continue;
				}
				if (slow) {
					// simulates a slow link, not a synchronisation
					java.util.concurrent.locks.LockSupport.parkNanos(this.slowDelay.toNanos());
				}
				int allowed = (int) Math.min(read, limit - copied);
				out.write(buffer, 0, allowed);
				out.flush();
				copied += allowed;
				if (copied >= limit) {
					return false;
				}
			}
			return true;
		}
		catch (IOException ex) {
			// connection closed
			return true;
		}
		finally {
			if (!link.silent && copied < limit) {
				closeQuietly(from);
				closeQuietly(to);
			}
		}
	}

	/**
	 * The two directions of one proxied connection.
	 */
	private static final class Link {

		volatile boolean silent;

	}

	private static void closeQuietly(java.io.Closeable closeable) {
		try {
			closeable.close();
		}
		catch (IOException ex) {
			// ignore
		}
	}

	@Override
	public void close() {
		closeQuietly(this.server);
		this.sockets.forEach(TcpProxy::closeQuietly);
		this.threads.shutdownNow();
		try {
			this.threads.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
