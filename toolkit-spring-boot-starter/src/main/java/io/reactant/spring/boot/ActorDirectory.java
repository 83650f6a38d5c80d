package io.reactant.spring.boot;

import io.reactant.actor.ActorClass;
import io.reactant.actor.ActorId;
import io.reactant.actor.ActorRefs;
import io.reactant.actor.ActorSystem;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.spring.boot.ActorBean.Activation;
import java.lang.reflect.Constructor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.NoUniqueBeanDefinitionException;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * The actors declared with {@link ActorBean}: finds references to them by type and id, and
 * creates their instances through the Spring bean factory, so that their dependencies are
 * injected.
 *
 * <p>Guarantees: each singleton is created once, when the application starts. A
 * {@link Activation#VIRTUAL virtual} actor is created by the first update or oneway call to its
 * id, whoever makes it (an HTTP request, a controller, another actor), exactly once even when
 * several calls race (a query creates nothing: {@link ActorSystem#registerVirtual}). All methods
 * are thread-safe. {@link #spawn} is meant for code outside the actors (controllers, services):
 * inside an actor, creating an actor directly is a trap; an actor creates one through an
 * {@code ActorClass} (rule R20), which {@link #actorClass} gives for an explicit actor type, whose
 * instances are then Spring-wired too.
 *
 * <pre>{@code
 * Counter counter = directory.get(Counter.class, "visits"); // virtual: made by its first update
 * Account account = directory.spawn(Account.class, opening);  // explicit: a new id
 * }</pre>
 */
public final class ActorDirectory implements SmartInitializingSingleton {

  private final ActorSystem system;
  private final BeanFactory beanFactory;
  private final Map<Class<?>, ActorDeclaration> byType = new LinkedHashMap<>();
  private final Map<String, ActorDeclaration> byName = new LinkedHashMap<>();
  /** The actor classes {@link #actorClass(Class)} gave, by type: checked once. */
  private final Map<Class<?>, ActorClass<?, Void>> autowiredClasses = new ConcurrentHashMap<>();
  /**
   * Whether this thread builds an actor's bean (runs an actor's initializer), where a singleton
   * is not created but referred to: {@link #afterSingletonsInstantiated} creates it.
   */
  private final ThreadLocal<Boolean> buildingActor = ThreadLocal.withInitial(() -> false);
  /**
   * The singletons referred to while an actor's bean was built, before they existed: created as
   * soon as the creation that built it returns to code outside the actors, or by the startup.
   */
  private final Set<ActorDeclaration> referred = ConcurrentHashMap.newKeySet();

  /**
   * Creates the directory of the given declarations.
   *
   * @throws ActorDeclarationException if an actor interface is not valid for the actor system
   */
  public ActorDirectory(ActorSystem system, BeanFactory beanFactory,
      List<ActorDeclaration> declarations) {
    this.system = Objects.requireNonNull(system, "system");
    this.beanFactory = Objects.requireNonNull(beanFactory, "beanFactory");
    for (ActorDeclaration d : declarations) {
      checkInterface(d);
      byType.put(d.type(), d);
      byName.put(d.name(), d);
      if (d.activation() == Activation.VIRTUAL) {
        registerVirtual(d);
      }
    }
  }

  private <I> void registerVirtual(ActorDeclaration d) {
    @SuppressWarnings("unchecked")
    Class<I> type = (Class<I>) d.type();
    Supplier<I> factory = factory(d, new Object[0]);
    system.registerVirtual(type, id -> factory.get());
  }

  private void checkInterface(ActorDeclaration d) {
    try {
      ActorRefs.requireActorType(d.type());
    } catch (IllegalArgumentException e) {
      throw new ActorDeclarationException("@ActorBean " + d.implementation().getName()
          + " implements an interface that cannot be an actor type: " + e.getMessage(),
          "Make " + d.type().getSimpleName() + " a public interface whose every method returns"
              + " Mono<T> (an update or, with @Query, a query) or is void (a oneway).");
    }
    try {
      ActorRefs.requireActorType(d.type(), d.implementation());
    } catch (IllegalArgumentException e) {
      throw new ActorDeclarationException("@ActorBean " + d.implementation().getName()
          + " cannot be spawned as " + d.type().getSimpleName() + ": " + e.getMessage(),
          "Put @Query and @CompositeQuery on the methods of " + d.type().getSimpleName()
              + ", not only on the implementation.");
    }
  }

  /** Returns the actor system the actors live in. */
  public ActorSystem system() {
    return system;
  }

  /** Returns every declaration, in declaration order. */
  public List<ActorDeclaration> declarations() {
    return List.copyOf(byType.values());
  }

  /** Returns the declaration of the actor type with that name, if any. */
  public Optional<ActorDeclaration> declaration(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /**
   * Returns the declaration of an actor interface.
   *
   * @throws IllegalArgumentException if no {@link ActorBean} implements it
   */
  public ActorDeclaration declaration(Class<?> type) {
    ActorDeclaration d = byType.get(Objects.requireNonNull(type, "type"));
    if (d == null) {
      throw new IllegalArgumentException("No @ActorBean implements " + type.getName()
          + "; declared actor types: " + byName.keySet());
    }
    return d;
  }

  /**
   * Returns a reference to the singleton actor of this type, created when the application
   * started. Once it exists this is a reading, which works anywhere, inside an actor's turns and
   * initializer too; only the startup creates it ({@link ActorSystem#spawnIfAbsent}, a host's
   * method that traps inside an actor whether or not the actor exists). An actor's initializer
   * that runs at startup before the singleton exists (a singleton's constructor injected with
   * another's interface, or an actor a bean spawns then) gets its reference, a value, and the
   * singleton is created as soon as the creation that ran the initializer returns to the code
   * outside the actors ({@code singleton}, {@code spawn}), before that code can call it. A
   * virtual actor created by a call during the startup has no such point: its calls to a
   * singleton not created yet answer code 3 until the startup creates it.
   *
   * @throws IllegalArgumentException if the type is not declared as a singleton
   * @throws ActorDeclarationException when it creates the actor, if its constructor has a
   *     dependency that no bean satisfies
   */
  public <I> I singleton(Class<I> type) {
    ActorDeclaration d = declaration(type);
    ActorId id = d.singletonId();
    if (id == null) {
      throw new IllegalArgumentException(d + " is not a singleton; ask for an id with get(type, id)");
    }
    if (system.contains(id)) {
      return system.lookup(type, id);
    }
    if (buildingActor.get()) {
      referred.add(d); // created once the initializer that asks for it has run
      return system.lookup(type, id);
    }
    requireDependencies(d);
    return createReferred(system.spawnIfAbsent(type, id, factory(d, NO_ARGUMENTS)));
  }

  /**
   * Creates the singletons that the initializers run by a creation referred to before they
   * existed, once the creation is back in the code outside the actors (where creating them is
   * allowed), so that this code can call them; then returns what the creation made.
   */
  private <I> I createReferred(I created) {
    for (ActorDeclaration r : referred) {
      if (referred.remove(r)) {
        singleton(r.type());
      }
    }
    return created;
  }

  /**
   * Returns a reference to the actor of this type and id. Nothing is created now: for a virtual
   * actor type, the first update or oneway call through any reference to the id creates the actor
   * (a query answers from the initial state and creates nothing); for other types, a call to an id
   * that does not exist fails with reject code 3.
   *
   * @param id the id, as a client sent it (a path variable, for example)
   * @throws CallError of code 3 ({@link RejectCode#DESTINATION_INVALID}) if {@code id} is blank:
   *     no actor has such an id, and the starter's error handling answers it as a 404
   */
  public <I> I get(Class<I> type, String id) {
    if (id.isBlank()) {
      declaration(type);
      throw new CallError(RejectCode.DESTINATION_INVALID, "No actor has a blank id");
    }
    return get(type, ActorId.of(id));
  }

  /** Returns a reference to the actor of this type and id; see {@link #get(Class, String)}. */
  public <I> I get(Class<I> type, ActorId id) {
    declaration(type);
    return system.lookup(type, id);
  }

  /**
   * Creates an actor of this type with a generated id and returns a reference to it.
   *
   * <p>The instance is the implementation's prototype bean: with no arguments its constructor is
   * autowired; arguments are passed to a constructor that takes exactly them (Spring's
   * {@code getBean(name, args)}: when a constructor is {@code @Autowired}, only the
   * {@code @Autowired} ones), and its other dependencies can then only be injected through setters
   * or fields.
   *
   * @throws IllegalArgumentException if the type is a singleton (its one instance exists), or no
   *     constructor of the implementation that Spring passes arguments to takes the arguments
   *     given, as Spring passes them: as many, each an instance of its parameter's type, boxed
   *     for a primitive one, or null for a parameter that is not primitive; or else, unless the
   *     bean definition asks for strict constructor resolution, to the first constructor with as
   *     many parameters (the public ones first), a null for a primitive parameter (its default
   *     value, 0 or false) and a boxed primitive that widens to it ({@code Integer} to
   *     {@code long}). Nothing is created
   * @throws io.reactant.error.CallError of code 5 if the actor's initializer trapped
   */
  public <I> I spawn(Class<I> type, Object... constructorArgs) {
    return createReferred(system.spawn(type, factory(takingArguments(spawnable(type),
        constructorArgs), constructorArgs)));
  }

  /**
   * Creates an actor of this type with the given id; see {@link #spawn(Class, Object...)}.
   *
   * @throws IllegalArgumentException if an actor with that id exists, the type is a singleton,
   *     or no constructor takes the arguments given
   */
  public <I> I spawn(Class<I> type, ActorId id, Object... constructorArgs) {
    return createReferred(system.spawn(type, id, factory(takingArguments(spawnable(type),
        constructorArgs), constructorArgs)));
  }

  /** The declaration of a type that is not a singleton, whose one instance the startup created. */
  private ActorDeclaration spawnable(Class<?> type) {
    ActorDeclaration d = declaration(type);
    if (d.isSingleton()) {
      throw new IllegalArgumentException(d + " is a singleton: its one instance is created at"
          + " startup; ask for it with singleton(type)");
    }
    return d;
  }

  /**
   * Returns the actor class (rule R20) of an {@link Activation#EXPLICIT explicit} actor type whose
   * instances are the implementation's prototype beans, their constructor autowired as in
   * {@link #spawn(Class, Object...)} with no arguments: an actor creates Spring-wired actors with
   * it, in its turns, through {@link io.reactant.actor.Actor#spawn(ActorClass, Object)} (the
   * argument is ignored: pass null). As any spawn in a turn, the creation is a tentative effect of
   * the turn: it happens only when the turn commits (the bean is created then, on the actor
   * system's threads), never if the turn traps (its future then fails with code 1), and the new
   * actor's {@link io.reactant.actor.Actor#creator() creator} is the spawning actor (rule R21).
   * The returned future fails with code 5 if the constructor throws or traps (a Spring error, such
   * as a missing dependency, included). Outside the actors, {@link ActorSystem#spawn(ActorClass,
   * Object)} takes it too.
   *
   * <pre>{@code
   * @ActorBean(activation = Activation.EXPLICIT)
   * final class AccountActor extends Actor implements Account {
   *   AccountActor(Ledger ledger) { ... }                 // injected
   * }
   *
   * @ActorBean
   * final class BankActor extends Actor implements Bank {
   *   private final ActorClass<Account, Void> accounts;
   *
   *   BankActor(ActorDirectory actors) {
   *     this.accounts = actors.actorClass(Account.class);
   *   }
   *
   *   public Mono<ActorId> open() {
   *     return await(spawn(accounts, null)).map(ActorRefs::idOf); // created when this turn commits
   *   }
   * }
   * }</pre>
   *
   * @throws IllegalArgumentException if no {@code @ActorBean} implements the type, or it is not
   *     explicit (a singleton has one instance, created at startup, and a virtual actor is
   *     created by the first call to its id: in a turn, call {@code get(type, id)}), or a
   *     parameter of its constructor, or an injected field or method, has no bean (each spawn
   *     would fail)
   */
  public <I> ActorClass<I, Void> actorClass(Class<I> type) {
    @SuppressWarnings("unchecked") // the class of an interface holds an actor class of it
    ActorClass<I, Void> known = (ActorClass<I, Void>) autowiredClasses.get(
        Objects.requireNonNull(type, "type"));
    if (known != null) {
      return known;
    }
    // not computeIfAbsent: resolving the dependencies may create a bean that asks for one too
    ActorClass<I, Void> created = newActorClass(type);
    autowiredClasses.putIfAbsent(type, created);
    return created;
  }

  /** A new actor class whose instances are the type's autowired beans, checked (once a type). */
  private <I> ActorClass<I, Void> newActorClass(Class<I> type) {
    ActorDeclaration d = explicit(type);
    ConfigurableListableBeanFactory factory = madeByConstructor(d);
    ActorConstructors.Unsatisfied unsatisfied =
        factory == null ? null : ActorConstructors.unsatisfied(factory, d);
    if (unsatisfied != null) {
      throw new IllegalArgumentException(unsatisfied.describe(d) + "; give the argument with"
          + " actorClass(type, argumentType)", unsatisfied.cause());
    }
    unsatisfied = factory == null ? null : ActorInjections.unsatisfied(factory, d);
    if (unsatisfied != null) { // every spawn, with an argument or none, would fail
      throw new IllegalArgumentException(unsatisfied.describe(d), unsatisfied.cause());
    }
    Supplier<I> instances = factory(d, NO_ARGUMENTS);
    return ActorClass.of(type, none -> instances.get());
  }

  /**
   * Returns the actor class of an explicit actor type whose instances are the implementation's
   * prototype beans built with the argument of each spawn, as {@link #spawn(Class, Object...)}
   * passes one argument: to a constructor that takes it (its other dependencies then only through
   * setters or fields). See {@link #actorClass(Class)}.
   *
   * <pre>{@code
   * ActorClass<Account, Long> accounts = actors.actorClass(Account.class, Long.class);
   * Mono<Account> opened = spawn(accounts, 100L);   // new AccountActor(100L), at commit
   * }</pre>
   *
   * @throws IllegalArgumentException as {@link #actorClass(Class)}, or if no constructor that
   *     Spring passes arguments to takes one argument of that type: nothing is created
   */
  public <I, P> ActorClass<I, P> actorClass(Class<I> type, Class<P> argumentType) {
    ActorDeclaration d = explicit(type);
    Objects.requireNonNull(argumentType, "argumentType");
    requireConstructorTaking(d, argumentType);
    return ActorClass.of(type, argument -> this.<I>factory(d, new Object[] {argument}).get());
  }

  /** The declaration of an explicit actor type, which an actor class creates instances of. */
  private ActorDeclaration explicit(Class<?> type) {
    ActorDeclaration d = declaration(type);
    if (d.activation() != Activation.EXPLICIT) {
      throw new IllegalArgumentException(d + " is not explicit, so it has no actor class: "
          + (d.isSingleton()
          ? "its one instance is created at startup; ask for it with singleton(type)"
          : "an instance is created by the first update or oneway call to its id; ask for a"
              + " reference with get(type, id)"));
    }
    return d;
  }

  /** Checks that a constructor Spring passes one argument to takes one of that type. */
  private void requireConstructorTaking(ActorDeclaration d, Class<?> argumentType) {
    ConfigurableListableBeanFactory factory = madeByConstructor(d);
    if (factory == null) {
      return;
    }
    Constructor<?>[] constructors = ActorConstructors.candidates(factory, d);
    for (Constructor<?> c : constructors) {
      if (c.getParameterCount() == 1
          && ClassUtils.isAssignable(c.getParameterTypes()[0], argumentType)) {
        return;
      }
    }
    throw noConstructor(d, constructors, "(" + argumentType.getSimpleName() + ")");
  }

  /**
   * The bean factory, if the actor's bean is made by a constructor of its class (not by a factory
   * method, a {@code @Bean} one or one a child definition inherits, which gets spawn's arguments
   * instead): else null.
   */
  private @Nullable ConfigurableListableBeanFactory madeByConstructor(ActorDeclaration d) {
    return beanFactory instanceof ConfigurableListableBeanFactory factory
        && factory.containsBeanDefinition(d.beanName())
        && factory.getMergedBeanDefinition(d.beanName()).getFactoryMethodName() == null
        ? factory : null;
  }

  /**
   * Checks that Spring's {@code getBean(name, args)} builds the bean with these arguments (see
   * {@link ActorConstructors#take}): it would otherwise fail inside the spawn, as a trap of the
   * initializer that names neither the constructor nor the arguments.
   * A bean made by a factory method ({@code @Bean}, or one a child definition inherits) gets the
   * arguments instead: not checked.
   */
  private ActorDeclaration takingArguments(ActorDeclaration d, Object[] args) {
    if (args.length == 0) {
      return d; // the constructor is autowired
    }
    ConfigurableListableBeanFactory factory = madeByConstructor(d);
    if (factory == null) {
      return d;
    }
    Constructor<?>[] constructors = ActorConstructors.candidates(factory, d);
    if (ActorConstructors.take(factory, d, constructors, args)) {
      return d;
    }
    StringJoiner given = new StringJoiner(", ", "(", ")");
    for (Object arg : args) {
      given.add(arg == null ? "null" : arg.getClass().getSimpleName());
    }
    throw noConstructor(d, constructors, given.toString());
  }

  private static IllegalArgumentException noConstructor(ActorDeclaration d,
      Constructor<?>[] constructors, String given) {
    StringJoiner declared = new StringJoiner(", ");
    for (Constructor<?> c : constructors) {
      StringJoiner params = new StringJoiner(", ", "(", ")");
      for (Class<?> p : c.getParameterTypes()) {
        params.add(p.getSimpleName());
      }
      declared.add(params.toString());
    }
    if (constructors.length < d.implementation().getDeclaredConstructors().length) {
      return new IllegalArgumentException("No constructor of " + d.implementation().getName()
          + " that Spring passes arguments to takes " + given + ": those take " + declared
          + "; an @Autowired constructor excludes the others");
    }
    return new IllegalArgumentException("No constructor of " + d.implementation().getName()
        + " takes " + given + ": its constructors take " + declared);
  }

  @Override
  public void afterSingletonsInstantiated() {
    for (ActorDeclaration d : byType.values()) {
      if (d.activation() == Activation.VIRTUAL) {
        requireDependencies(d);
      }
    }
    for (ActorDeclaration d : byType.values()) {
      if (d.isSingleton()) {
        singleton(d.type());
      }
    }
  }

  /**
   * Fails the startup if the constructor (or {@code @Bean} method), or an injected field or method,
   * of a singleton's or a virtual actor's bean (which the actor system always creates with no
   * arguments) has a dependency that no bean satisfies (or several, none chosen): a virtual actor
   * would otherwise start, and every call that creates one fail with code 5. The virtual ones are checked once the singleton
   * beans exist, a singleton actor when it is created (its creation resolves the same
   * dependencies). An explicit actor may be spawned with the arguments that its constructor lacks:
   * not checked.
   *
   * @throws ActorDeclarationException naming the parameter or field, its type and Spring's reason
   */
  private void requireDependencies(ActorDeclaration d) {
    if (beanFactory instanceof ConfigurableListableBeanFactory factory
        && factory.containsBeanDefinition(d.beanName())) {
      ActorConstructors.Unsatisfied unsatisfied = unsatisfied(factory, d);
      if (unsatisfied != null) {
        throw new ActorDeclarationException(unsatisfied.describe(d), action(unsatisfied),
            unsatisfied.cause());
      }
    }
  }

  /**
   * How to fix an unsatisfied dependency: for one on an actor that is no bean (another virtual or
   * explicit type's interface, an actor's class), take references from this directory (rule R1),
   * as {@link ActorFailureAnalyzer} says to any other bean; else Spring's advice.
   */
  private String action(ActorConstructors.Unsatisfied unsatisfied) {
    if (unsatisfied.cause() instanceof NoSuchBeanDefinitionException
        && !(unsatisfied.cause() instanceof NoUniqueBeanDefinitionException)
        && unsatisfied.type() instanceof Class<?> wanted) {
      for (ActorDeclaration other : byType.values()) {
        if (wanted == other.implementation() || wanted == other.type() && !other.isSingleton()) {
          return ActorFailureAnalyzer.action(other);
        }
      }
    }
    return unsatisfied.action();
  }

  /**
   * The first dependency of the actor's bean, created with no arguments, that no bean satisfies:
   * of its constructor or factory method, then of its injected fields and methods, as Spring
   * resolves them.
   */
  private static ActorConstructors.@Nullable Unsatisfied unsatisfied(
      ConfigurableListableBeanFactory factory, ActorDeclaration d) {
    ActorConstructors.Unsatisfied unsatisfied = ActorConstructors.unsatisfied(factory, d);
    return unsatisfied != null ? unsatisfied : ActorInjections.unsatisfied(factory, d);
  }

  private static final Object[] NO_ARGUMENTS = {};

  private <I> Supplier<I> factory(ActorDeclaration d, Object[] args) {
    @SuppressWarnings("unchecked")
    Class<I> type = (Class<I>) d.type();
    return () -> {
      boolean outer = buildingActor.get();
      buildingActor.set(true);
      try {
        return type.cast(args.length == 0 ? beanFactory.getBean(d.beanName())
            : beanFactory.getBean(d.beanName(), args));
      } catch (BeansException e) {
        throw unwrap(e);
      } finally {
        if (!outer) {
          buildingActor.remove();
        }
      }
    };
  }

  /**
   * What the actor's constructor threw, rather than Spring's exception around it: the actor's
   * initializer traps with that (its {@code Trap} message is the one its caller gets), not with
   * a message that names the bean's class.
   */
  private static RuntimeException unwrap(BeansException e) {
    Throwable cause = e;
    while (cause instanceof BeansException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof Error error) {
      throw error;
    }
    return cause instanceof RuntimeException thrown ? thrown : e;
  }
}
