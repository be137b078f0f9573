package io.httppool;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/**
 * Registry of every named client, in configuration order: look a client up by name and
 * read its pool's live state.
 *
 * @author http-pool team
 * @since 0.1.0
 */
public class HttpPoolClients {

	private final Map<String, HttpPoolClient> clients;

	/**
	 * Create a registry of the given clients.
	 * @param clients the clients
	 */
	public HttpPoolClients(List<HttpPoolClient> clients) {
		Map<String, HttpPoolClient> byName = new LinkedHashMap<>();
		clients.forEach((client) -> byName.put(client.name(), client));
		this.clients = Collections.unmodifiableMap(byName);
	}

	/**
	 * Return the client of the given name.
	 * @param name the client name
	 * @return the client
	 * @throws NoSuchHttpPoolClientException if no such client is configured
	 */
	public HttpPoolClient get(String name) {
		HttpPoolClient client = this.clients.get(name);
		if (client == null) {
			throw new NoSuchHttpPoolClientException(name, this.clients.keySet());
		}
		return client;
	}

	/**
	 * Return the client of the given name, or {@code null}.
	 * @param name the client name
	 * @return the client or {@code null}
	 */
	public @Nullable HttpPoolClient find(String name) {
		return this.clients.get(name);
	}

	/**
	 * Return the names of all clients, in configuration order.
	 * @return the names
	 */
	public Set<String> names() {
		return this.clients.keySet();
	}

	/**
	 * Return all clients, in configuration order.
	 * @return the clients
	 */
	public Collection<HttpPoolClient> all() {
		return this.clients.values();
	}

	/**
	 * Shut every client down: new requests fail fast, in-flight ones get up to
	 * {@code timeout} to finish, then the pools are closed.
	 * @param timeout how long in-flight requests may take to finish
	 */
	public void shutdown(Duration timeout) {
		Flux.fromIterable(this.clients.values())
			.flatMap((client) -> client.shutdown(timeout))
			.then()
			.block(timeout.plusSeconds(5));
	}

}
