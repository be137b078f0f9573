package io.httppool.sample;

import org.jspecify.annotations.Nullable;

/**
 * Looks through the cause chain of a failure, as Reactor and Netty wrap what really
 * happened.
 *
 * @author http-pool team
 */
public final class Causes {

	private Causes() {
	}

	/**
	 * The first throwable of the given type in the cause chain, the failure itself
	 * included.
	 * @param <T> the type looked for
	 * @param failure the failure
	 * @param type the type looked for
	 * @return the throwable, or {@code null} if the chain holds none
	 */
	public static <T extends Throwable> @Nullable T find(Throwable failure, Class<T> type) {
		for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
			if (type.isInstance(candidate)) {
				return type.cast(candidate);
			}
			if (candidate.getCause() == candidate) {
				break;
			}
		}
		return null;
	}

}
