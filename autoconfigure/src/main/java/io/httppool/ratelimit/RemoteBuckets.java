package io.httppool.ratelimit;

import java.time.Duration;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.AsyncBucketProxy;

/**
 * Source of buckets shared by every replica, such as {@link RedisBuckets}.
 *
 * @author http-pool team
 * @since 0.1.0
 */
@FunctionalInterface
public interface RemoteBuckets {

	/**
	 * Return the shared bucket of the given key, created with the given configuration
	 * when the store does not hold it yet. No network call happens here.
	 * @param key the key, the same on every replica that shares the quota
	 * @param configuration the configuration of a new bucket
	 * @param requestTimeout longest time one operation on the store may take
	 * @return the bucket
	 */
	AsyncBucketProxy bucket(String key, BucketConfiguration configuration, Duration requestTimeout);

}
