package io.reactant.spring.boot.autoconfigure;

import io.reactant.actor.ActorSystem;
import io.reactant.actor.TurnListener;
import java.util.Arrays;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Warns at startup of an {@link ActorSystem} bean of the application's that tells no
 * {@link TurnListener} while the context has {@code TurnListener} beans: those are given only to
 * the auto-configured system (a system cannot take listeners once it runs), so they would miss
 * every turn, and the metrics' {@code reactant.turns} and {@code reactant.rejects} stay empty. A
 * system that tells a listener of its own is taken as wired on purpose.
 */
final class UnheardTurnListeners implements SmartInitializingSingleton {

  private static final Log LOG = LogFactory.getLog(UnheardTurnListeners.class);

  private final ListableBeanFactory beanFactory;

  UnheardTurnListeners(ListableBeanFactory beanFactory) {
    this.beanFactory = beanFactory;
  }

  @Override
  public void afterSingletonsInstantiated() {
    String[] systems = beanFactory.getBeanNamesForType(ActorSystem.class, false, false);
    String[] listeners = beanFactory.getBeanNamesForType(TurnListener.class, true, false);
    if (systems.length != 1 || listeners.length == 0) {
      return;
    }
    ActorSystem system = beanFactory.getBean(systems[0], ActorSystem.class);
    if (system.config().hasListener()) {
      return; // the auto-configured system tells the beans; the application's its own choice
    }
    LOG.warn("The ActorSystem bean '" + systems[0] + "' is the application's own and tells no"
        + " TurnListener: the TurnListener beans " + Arrays.toString(listeners) + " are given"
        + " only to an auto-configured system, so they miss its turns and failed calls (the"
        + " reactant.turns and reactant.rejects meters stay empty). Pass them to"
        + " ActorSystemConfig.Builder.listener when building it, or let the starter build the"
        + " system and customize it with an ActorSystemCustomizer bean");
  }
}
