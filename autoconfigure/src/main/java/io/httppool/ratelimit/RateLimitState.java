package io.httppool.ratelimit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * State of one client's rate limiter, read locally: the {@code rateLimit} detail of the
 * client's health and of the {@code httppools} endpoint.
 *
 * @param store where the bucket lives, {@code local} or {@code redis}
 * @param requestsPerPeriod the quota in force, shared by all replicas, or {@code null}
 * while it is not known
 * @param period the quota's window, or {@code null} while it is not known
 * @param source where the quota comes from: {@value #SOURCE_CONFIGURED},
 * {@value #SOURCE_HEADERS} or {@value #SOURCE_NONE}
 * @param fallback whether the shared store is unreachable and calls follow
 * {@code rate-limit.redis-fallback}
 * @param queued calls of this replica waiting for their turn now
 * @param waits calls that waited for their turn since start
 * @param rejections calls refused since start
 * @param fallbacks times the limiter went on its fallback since start
 * @author http-pool team
 * @since 0.1.0
 */
public record RateLimitState(String store, @Nullable Long requestsPerPeriod, @Nullable Duration period, String source,
		boolean fallback, int queued, long waits, long rejections, long fallbacks) {

	/**
	 * {@code source} of a quota set with {@code rate-limit.requests-per-period}.
	 */
	public static final String SOURCE_CONFIGURED = "configured";

	/**
	 * {@code source} of a quota learned from the upstream's rate-limit headers.
	 */
	public static final String SOURCE_HEADERS = "headers";

	/**
	 * {@code source} while no quota is known: calls pass untouched.
	 */
	public static final String SOURCE_NONE = "none";

	/**
	 * Return the state as the {@code rateLimit} detail of health and the endpoint: keys
	 * as the components of this record, the period as an ISO-8601 duration, the quota and
	 * period left out while unknown.
	 * @return the details, in a stable order
	 */
	public Map<String, Object> toDetails() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("store", this.store);
		if (this.requestsPerPeriod != null && this.period != null) {
			details.put("requestsPerPeriod", this.requestsPerPeriod);
			details.put("period", this.period.toString());
		}
		details.put("source", this.source);
		details.put("fallback", this.fallback);
		details.put("queued", this.queued);
		details.put("waits", this.waits);
		details.put("rejections", this.rejections);
		details.put("fallbacks", this.fallbacks);
		return details;
	}

}
