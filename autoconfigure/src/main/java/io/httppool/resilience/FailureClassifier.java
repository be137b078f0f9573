package io.httppool.resilience;

/**
 * Decides what a failed attempt proves about the request. Replace the bean of this type
 * to teach the starter about failures of a custom transport.
 *
 * @author http-pool team
 * @since 0.1.0
 */
@FunctionalInterface
public interface FailureClassifier {

	/**
	 * Classify the failure of one attempt.
	 * @param failure the failure, as raised by the inner filters and the transport
	 * @return its kind, never {@code null}
	 */
	FailureKind classify(Throwable failure);

	/**
	 * Return the classifier that knows Reactor Netty's and the JDK's transport failures.
	 * @return the standard classifier
	 */
	static FailureClassifier standard() {
		return StandardFailureClassifier.INSTANCE;
	}

}
