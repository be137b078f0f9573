package io.httppool.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A minimal HTTP CONNECT proxy on a loopback port chosen by the OS, for tests: it records
 * every CONNECT request line and its {@code Proxy-Authorization} header, then tunnels
 * bytes both ways. Close it after the test.
 */
public final class TestConnectProxy implements AutoCloseable {

	private final ServerSocket server;

	private final ExecutorService executor = Executors.newCachedThreadPool((runnable) -> {
		Thread thread = new Thread(runnable, "test-proxy");
		thread.setDaemon(true);
		return thread;
	});

	private final List<String> connects = new CopyOnWriteArrayList<>();

	private final List<String> authorizations = new CopyOnWriteArrayList<>();

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	public TestConnectProxy() throws IOException {
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.executor.execute(this::accept);
	}

	public int port() {
		return this.server.getLocalPort();
	}

	/**
	 * CONNECT targets received, e.g. {@code 127.0.0.1:41234}.
	 * @return the targets
	 */
	public List<String> connects() {
		return this.connects;
	}

	/**
	 * {@code Proxy-Authorization} values received (empty string when absent).
	 * @return the values
	 */
	public List<String> authorizations() {
		return this.authorizations;
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket client = this.server.accept();
				this.sockets.add(client);
				this.executor.execute(() -> tunnel(client));
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void tunnel(Socket client) {
		try {
			InputStream in = client.getInputStream();
			String head = readHead(in);
			String[] lines = head.split("\r\n");
			String target = lines[0].split(" ")[1];
			String authorization = "";
			for (String line : lines) {
				if (line.toLowerCase().startsWith("proxy-authorization:")) {
					authorization = line.substring(line.indexOf(':') + 1).trim();
				}
			}
			this.connects.add(target);
			this.authorizations.add(authorization);
			String[] hostPort = target.split(":");
			Socket upstream = new Socket(hostPort[0], Integer.parseInt(hostPort[1]));
			this.sockets.add(upstream);
			client.getOutputStream()
				.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			this.executor.execute(() -> pipe(upstream, client));
			pipe(client, upstream);
		}
		catch (IOException | RuntimeException ex) {
			closeQuietly(client);
		}
	}

	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		byte[] end = { '\r', '\n', '\r', '\n' };
		while (matched < 4) {
			int b = in.read();
			if (b < 0) {
				throw new IOException("closed before CONNECT head ended");
			}
			head.write(b);
			matched = (b == end[matched]) ? matched + 1 : ((b == '\r') ? 1 : 0);
		}
		return head.toString(StandardCharsets.US_ASCII);
	}

	private static void pipe(Socket from, Socket to) {
		try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
			in.transferTo(out);
		}
		catch (IOException ex) {
			// the other side closed
		}
		finally {
			closeQuietly(from);
			closeQuietly(to);
		}
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// already closed
		}
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		this.sockets.forEach(TestConnectProxy::closeQuietly);
		this.executor.shutdownNow();
	}

}
