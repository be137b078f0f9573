package io.httppool.benchmarks.load;

/**
 * One client under load. Asynchronous clients implement {@link #send}; blocking clients
 * implement {@link #call} and return {@code true} from {@link #blocking()}, and the
 * driver gives them one platform thread per request in flight.
 *
 * @author http-pool team
 */
interface LoadClient extends AutoCloseable {

	default boolean blocking() {
		return false;
	}

	/**
	 * Start one request and report its end to the callback.
	 * @param callback told the status or the failure
	 */
	default void send(Callback callback) {
		throw new UnsupportedOperationException("blocking client");
	}

	/**
	 * Make one request and wait for it.
	 * @return the response status
	 * @throws Exception when the request fails
	 */
	default int call() throws Exception {
		throw new UnsupportedOperationException("asynchronous client");
	}

	@Override
	void close() throws Exception;

	/**
	 * End of one asynchronous request.
	 */
	interface Callback {

		void completed(int status);

		void failed(Throwable error);

	}

}
