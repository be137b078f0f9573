package io.httppool;

/**
 * Order in which idle connections are handed out.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public enum HttpPoolLeasingStrategy {

	/**
	 * Least recently used connection first: spreads load over all idle connections.
	 */
	FIFO,

	/**
	 * Most recently used connection first: keeps few connections hot and lets the rest
	 * idle out, so a request rarely meets a connection the server already closed.
	 */
	LIFO

}
