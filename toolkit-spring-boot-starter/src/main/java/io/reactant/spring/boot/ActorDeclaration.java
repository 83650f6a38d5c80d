package io.reactant.spring.boot;

import io.reactant.actor.ActorId;
import io.reactant.spring.boot.ActorBean.Activation;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One actor type declared with {@link ActorBean}: its interface, name, implementation bean and
 * activation.
 *
 * @param name the name of the type, in HTTP paths, metrics and the Actuator endpoint
 * @param type the actor interface
 * @param implementation the class that implements it
 * @param beanName the name of the (prototype) bean definition of the implementation
 * @param activation how its instances come to life
 * @param singletonId the id of the instance, for a singleton; null otherwise
 * @param exposed whether the type is exposed over HTTP
 */
public record ActorDeclaration(String name, Class<?> type, Class<?> implementation, String beanName,
    Activation activation, @Nullable ActorId singletonId, boolean exposed) {

  public ActorDeclaration {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(implementation, "implementation");
    Objects.requireNonNull(beanName, "beanName");
    Objects.requireNonNull(activation, "activation");
    if ((activation == Activation.SINGLETON) != (singletonId != null)) {
      throw new IllegalArgumentException("A singleton, and only a singleton, has a fixed id");
    }
  }

  /** Returns whether this is a singleton. */
  public boolean isSingleton() {
    return activation == Activation.SINGLETON;
  }

  @Override
  public String toString() {
    return "actor type '" + name + "' (" + type.getName() + ", implemented by "
        + implementation.getName() + ", " + activation.name().toLowerCase() + ")";
  }
}
