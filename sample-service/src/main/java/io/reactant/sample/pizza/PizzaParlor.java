package io.reactant.sample.pizza;

import io.reactant.actor.Query;
import java.util.List;
import reactor.core.publisher.Mono;

/** A pizza parlour: customers place orders, the chef makes one pizza at a time. */
public interface PizzaParlor {

  /** The longest order, in characters. */
  int MAX_ORDER_LENGTH = 100;
  /** The most orders that may wait; more are refused until some are made. */
  int MAX_WAITING_ORDERS = 1_000;

  /**
   * Queues an order; answers {@code "Order received: <order>"}. Rejects (code 4) a blank order,
   * one longer than {@value #MAX_ORDER_LENGTH} characters, one with a control or invisible
   * character, a separator other than the space, or a private-use or unassigned code point
   * ({@link io.reactant.sample.web.Names#forbiddenCharacter}), and any order while
   * {@value #MAX_WAITING_ORDERS} are waiting.
   */
  Mono<String> placeOrder(String order);

  /**
   * Makes the oldest pizza; answers {@code "Made a delicious <order> pizza!"}, or
   * {@code "No orders to make."}.
   */
  Mono<String> makePizza();

  /** The orders waiting, oldest first. */
  @Query
  Mono<List<String>> getOrders();
}
