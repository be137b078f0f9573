package io.httppool.autoconfigure.ratelimit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.httppool.autoconfigure.HttpPoolAutoConfiguration;
import io.httppool.ratelimit.HttpPoolRateLimitCustomizer;
import io.httppool.ratelimit.RateLimitMeterBinder;
import io.httppool.ratelimit.RedisBuckets;
import io.httppool.ratelimit.RemoteBuckets;
import io.lettuce.core.RedisClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of provider quotas: a Bucket4j rate limiter on every client with
 * {@code http.pool.clients.<name>.rate-limit.enabled=true}, installed on its
 * {@code WebClient}, its {@code RestClient} and its HTTP service groups. With Lettuce and
 * Bucket4j's Lettuce module present, {@code rate-limit.store=redis} keeps the bucket in
 * the Redis of {@code spring.data.redis.*}; the connection is opened only when the first
 * such client is built.
 *
 * @author http-pool team
 * @since 0.1.0
 */
@AutoConfiguration(after = HttpPoolAutoConfiguration.class)
@ConditionalOnClass(Bucket.class)
public final class HttpPoolRateLimitAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	HttpPoolRateLimitCustomizer httpPoolRateLimitCustomizer(ObjectProvider<RemoteBuckets> remoteBuckets) {
		return new HttpPoolRateLimitCustomizer(remoteBuckets::getIfAvailable);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ RedisClient.class, Bucket4jLettuce.class })
	static class RedisConfiguration {

		@Bean
		@Lazy
		@ConditionalOnMissingBean(RemoteBuckets.class)
		RedisBuckets httpPoolRateLimitRedisBuckets(Environment environment) {
			RedisConnectionProperties properties = RedisConnectionProperties.bind(environment);
			return new RedisBuckets(properties.toRedisUri(), properties.connectTimeoutOrDefault());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		RateLimitMeterBinder httpPoolRateLimitMeterBinder(HttpPoolRateLimitCustomizer limiters) {
			return new RateLimitMeterBinder(limiters);
		}

	}

}
