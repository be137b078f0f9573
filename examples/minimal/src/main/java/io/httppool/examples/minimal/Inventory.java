package io.httppool.examples.minimal;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;
import org.springframework.web.client.RestClient;

/**
 * Asks the inventory service for stock over the {@code inventory} client's pool.
 *
 * @author http-pool team
 */
@Service
public class Inventory {

	private final RestClient inventory;

	public Inventory(@Qualifier("inventory") RestClient inventory) {
		this.inventory = inventory;
	}

	/**
	 * Return what the inventory service answers for an item.
	 * @param item the item
	 * @return the answer
	 */
	public String stock(String item) {
		return this.inventory.get().uri("/stock/{item}", item).retrieve().body(String.class);
	}

}
