package io.httppool.ratelimit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.concurrent.TimeUnit;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.RedisApi;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Buckets shared by every replica, in Redis, through Bucket4j's Lettuce integration
 * (compare-and-swap with Lua scripts). One connection for all clients, opened in the
 * background: a Redis that is down at startup or goes away later never blocks or fails a
 * call here; its operations fail at once (Lettuce rejects commands while it reconnects)
 * and the limiter falls back. Keys expire once their bucket would be full again.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public final class RedisBuckets implements RemoteBuckets, AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisBuckets.class);

	private static final long RECONNECT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

	private final ClientResources resources;

	private final RedisClient client;

	private final RedisURI uri;

	private final String address;

	private final Object lock = new Object();

	private volatile @Nullable StatefulRedisConnection<byte[], byte[]> connection;

	private @Nullable CompletableFuture<?> connecting;

	private long nextConnectNanos;

	private volatile boolean closed;

	private final RedisApi<byte[]> api = api(this::commands);

	/**
	 * Create the buckets and start connecting.
	 * @param uri where Redis is, with its credentials; never logged
	 * @param connectTimeout longest time to establish the connection
	 */
	public RedisBuckets(RedisURI uri, Duration connectTimeout) {
		this.uri = uri;
		this.address = uri.getHost() + ":" + uri.getPort();
		this.resources = ClientResources.builder()
			.reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
			.build();
		this.client = RedisClient.create(this.resources);
		this.client.setOptions(ClientOptions.builder()
			.autoReconnect(true)
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.socketOptions(io.lettuce.core.SocketOptions.builder().connectTimeout(connectTimeout).build())
			.build());
		CompletableFuture<?> connecting = connectInBackground();
		try {
			// the first calls find the connection open when Redis is up; when it is not,
			// startup waits at most the connect timeout and the calls fall back
			if (connecting != null) {
				connecting.get(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			logger.warn("Redis at " + this.address + " for rate limits is unreachable at startup ("
					+ ex.getClass().getSimpleName() + "); clients with rate-limit.store=redis fall back until it is");
		}
	}

	// generic in K so that Bucket4j's Object[] of keys reaches Lettuce without a cast
	private static <K> RedisApi<K> api(Supplier<RedisAsyncCommands<K, byte[]>> commands) {
		return new RedisApi<>() {

			@Override
			public <V> RedisFuture<V> eval(String script, ScriptOutputType type, K[] keys, byte[][] params) {
				return commands.get().eval(script, type, keys, params);
			}

			@Override
			public RedisFuture<byte[]> get(K key) {
				return commands.get().get(key);
			}

			@Override
			public RedisFuture<?> delete(K key) {
				return commands.get().del(key);
			}

		};
	}

	@Override
	public AsyncBucketProxy bucket(String key, BucketConfiguration configuration, Duration requestTimeout) {
		return new Bucket4jLettuce.LettuceBasedProxyManagerBuilder<>(this.api).requestTimeout(requestTimeout)
			.expirationAfterWrite(
					ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
			.build()
			.asAsync()
			.builder()
			.build(key.getBytes(StandardCharsets.UTF_8), () -> CompletableFuture.completedFuture(configuration));
	}

	/**
	 * Return whether the connection to Redis is open now.
	 * @return whether Redis is reachable
	 */
	public boolean isConnected() {
		StatefulRedisConnection<byte[], byte[]> connection = this.connection;
		return connection != null && connection.isOpen();
	}

	private RedisAsyncCommands<byte[], byte[]> commands() {
		StatefulRedisConnection<byte[], byte[]> connection = this.connection;
		if (connection != null) {
			return connection.async();
		}
		connectInBackground();
		throw new RedisConnectionException("not connected to Redis at " + this.address + " yet");
	}

	private @Nullable CompletableFuture<?> connectInBackground() {
		synchronized (this.lock) {
			if (this.closed || this.connection != null || this.connecting != null
					|| System.nanoTime() - this.nextConnectNanos < 0) {
				return this.connecting;
			}
			this.connecting = this.client.connectAsync(ByteArrayCodec.INSTANCE, this.uri)
				.toCompletableFuture()
				.whenComplete((connection, ex) -> {
					synchronized (this.lock) {
						this.connecting = null;
						if (ex != null) {
							this.nextConnectNanos = System.nanoTime() + RECONNECT_INTERVAL_NANOS;
							logger.debug("Could not connect to Redis at " + this.address + " for rate limits: "
									+ ex.getClass().getSimpleName());
						}
						else if (this.closed) {
							connection.closeAsync();
						}
						else {
							this.connection = connection;
						}
					}
				});
			return this.connecting;
		}
	}

	@Override
	public void close() {
		StatefulRedisConnection<byte[], byte[]> connection;
		synchronized (this.lock) {
			this.closed = true;
			connection = this.connection;
			this.connection = null;
		}
		if (connection != null) {
			connection.close();
		}
		this.client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		this.resources.shutdown(0, 2, TimeUnit.SECONDS);
	}

}
