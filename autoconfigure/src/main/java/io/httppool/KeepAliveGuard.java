package io.httppool;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.AttributeKey;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.netty.Connection;
import reactor.netty.resources.ConnectionProvider;

/**
 * Keeps an HTTP/1.1 pool from reusing a connection the server is about to close.
 *
 * <p>
 * A server closes a connection idle for its keep-alive timeout (nginx
 * {@code keepalive_timeout}, Node's {@code keepAliveTimeout}, a load balancer's idle
 * timeout). A request written at that very moment is lost in the close: it never reached
 * the server, but the client cannot tell it from one the server processed before the
 * connection dropped ("Connection prematurely closed BEFORE response"), so a POST cannot
 * be retried. Reactor Netty retries only a request whose headers were not written yet.
 *
 * <p>
 * So the pool learns the server's keep-alive: when the server closes a connection that
 * sat idle in the pool (not one the pool closed itself), the idle time at that moment is
 * the server's timeout, seen from here. Once a second such close, at least 100 ms later,
 * confirms it within 10 % (a restart closes every idle connection at once, after any idle
 * time), a connection idle for longer than that, less a margin of a fifth (at least 100
 * ms), is closed when a request would acquire it, and the request opens a fresh one. A
 * response header {@code Keep-Alive: timeout=N} (Apache httpd sends one by default) sets
 * the same limit at once. {@code max-idle-time} still applies when lower. Closes after
 * less than 200 ms of idleness are ignored, and the limit only goes down.
 *
 * <p>
 * One instance per HTTP/1.1 client: the pool's eviction predicate (tested when a
 * connection is acquired and in the background) and the observer of its connections. Per
 * connection it adds one handler; per request it writes one field.
 */
final class KeepAliveGuard implements BiPredicate<Connection, ConnectionProvider.ConnectionMetadata> {

	private static final Log logger = LogFactory.getLog(KeepAliveGuard.class);

	static final String NAME = "httpPoolIdleClock";

	private static final AttributeKey<IdleClock> CLOCK = AttributeKey.valueOf(NAME);

	private static final long MIN_LEARNED_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

	private static final long MIN_MARGIN_MILLIS = 100;

	private final String clientName;

	private final long maxIdleMillis;

	private static final long MASS_CLOSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	// an idle time at which the upstream closed a connection, waiting for a second
	// close to confirm it (0: none)
	private long candidateMillis;

	private long candidateAtNanos;

	private static final Pattern TIMEOUT = Pattern.compile("timeout\\s*=\\s*(\\d+)", Pattern.CASE_INSENSITIVE);

	private volatile @Nullable String lastAnnounced;

	private volatile long reuseLimitMillis;

	KeepAliveGuard(HttpPoolClientSettings settings) {
		this.clientName = settings.name();
		this.maxIdleMillis = settings.pool().maxIdleTime().toMillis();
		this.reuseLimitMillis = this.maxIdleMillis;
	}

	@Override
	public boolean test(Connection connection, ConnectionProvider.ConnectionMetadata metadata) {
		// Reactor Netty's own rule comes first: a custom predicate replaces it
		return !connection.channel().isActive() || !connection.isPersistent()
				|| metadata.idleTime() >= this.reuseLimitMillis;
	}

	/**
	 * Longest idle time after which a connection is still reused.
	 * @return the limit in milliseconds
	 */
	long reuseLimitMillis() {
		return this.reuseLimitMillis;
	}

	void connected(Channel channel) {
		if (channel.pipeline().get(NAME) == null) {
			IdleClock clock = new IdleClock();
			channel.attr(CLOCK).set(clock);
			channel.pipeline().addFirst(NAME, clock);
		}
	}

	void acquired(Channel channel) {
		IdleClock clock = channel.attr(CLOCK).get();
		if (clock != null) {
			clock.idleSinceNanos = -1;
		}
	}

	void released(Channel channel) {
		IdleClock clock = channel.attr(CLOCK).get();
		if (clock != null) {
			clock.idleSinceNanos = System.nanoTime();
		}
	}

	private void learn(long idleNanos) {
		if (idleNanos < MIN_LEARNED_NANOS) {
			return;
		}
		long now = System.nanoTime();
		long idleMillis = TimeUnit.NANOSECONDS.toMillis(idleNanos);
		synchronized (this) {
			if (this.candidateMillis == 0 || Math.abs(idleMillis - this.candidateMillis) > this.candidateMillis / 10) {
				this.candidateMillis = idleMillis;
				this.candidateAtNanos = now;
				return;
			}
			if (now - this.candidateAtNanos < MASS_CLOSE_NANOS) {
				// a restart closes every idle connection at once: not a keep-alive
				return;
			}
			idleMillis = Math.min(idleMillis, this.candidateMillis);
			this.candidateMillis = 0;
		}
		adopt(idleMillis, "closes connections idle for about " + idleMillis + " ms");
	}

	/**
	 * Take the keep-alive a response announced ({@code Keep-Alive: timeout=5}, as Apache
	 * httpd sends by default), at once.
	 * @param keepAlive the value of the response's {@code Keep-Alive} header
	 */
	void announced(String keepAlive) {
		if (keepAlive.equals(this.lastAnnounced)) {
			return;
		}
		this.lastAnnounced = keepAlive;
		Matcher matcher = TIMEOUT.matcher(keepAlive);
		if (matcher.find()) {
			long seconds = Long.parseLong(matcher.group(1));
			if (seconds > 0 && seconds < TimeUnit.DAYS.toSeconds(1)) {
				adopt(TimeUnit.SECONDS.toMillis(seconds), "announces Keep-Alive: " + keepAlive);
			}
		}
	}

	private void adopt(long keepAliveMillis, String reason) {
		long limit = Math.min(this.maxIdleMillis,
				keepAliveMillis - Math.max(keepAliveMillis / 5, Math.min(MIN_MARGIN_MILLIS, keepAliveMillis / 2)));
		boolean first;
		synchronized (this) {
			if (limit >= this.reuseLimitMillis) {
				return;
			}
			first = this.reuseLimitMillis == this.maxIdleMillis;
			this.reuseLimitMillis = limit;
		}
		if (first ? logger.isInfoEnabled() : logger.isDebugEnabled()) {
			String message = "HTTP pool '" + this.clientName + "': the upstream " + reason
					+ "; connections idle for more than " + limit
					+ " ms are no longer reused, so that no request is sent on a connection the upstream is closing"
					+ " (set http.pool.clients." + this.clientName
					+ ".max-idle-time below the upstream's keep-alive timeout to choose the limit)";
			if (first) {
				logger.info(message);
			}
			else {
				logger.debug(message);
			}
		}
	}

	/**
	 * When the connection went back to the pool, and whether this side closed it.
	 */
	private final class IdleClock extends ChannelDuplexHandler {

		// nanoTime when released to the pool, -1 while a request holds the connection
		volatile long idleSinceNanos = -1;

		private boolean closedHere;

		@Override
		public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
			this.closedHere = true;
			ctx.close(promise);
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) throws Exception {
			long idleSince = this.idleSinceNanos;
			if (!this.closedHere && idleSince >= 0) {
				learn(System.nanoTime() - idleSince);
			}
			ctx.fireChannelInactive();
		}

	}

}
