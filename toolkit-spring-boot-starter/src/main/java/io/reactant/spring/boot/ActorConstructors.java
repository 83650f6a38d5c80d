package io.reactant.spring.boot;

import io.reactant.actor.ActorId;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.framework.AopConfigException;
import org.springframework.aot.AotDetector;
import org.springframework.beans.BeanInstantiationException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.NoUniqueBeanDefinitionException;
import org.springframework.beans.factory.annotation.AutowiredAnnotationBeanPostProcessor;
import org.springframework.beans.factory.config.AutowireCapableBeanFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.DependencyDescriptor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.config.SmartInstantiationAwareBeanPostProcessor;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.AbstractBeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.InstanceSupplier;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.CollectionFactory;
import org.springframework.core.MethodParameter;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * How Spring's bean factory picks and calls the constructor of an actor's prototype bean, as far
 * as the starter checks it before a spawn: the same rules as its {@code ConstructorResolver}, read
 * without creating anything.
 */
final class ActorConstructors {

  /** The primitive types a boxed argument may widen to, in widening order (JLS 5.1.2). */
  private static final List<Class<?>> WIDENING = List.of(byte.class, short.class, char.class,
      int.class, long.class, float.class, double.class);

  private ActorConstructors() {
  }

  /**
   * The constructors Spring chooses from: those its post-processors name (the {@code @Autowired}
   * ones, when a constructor is), else all of them (the public ones only, for a definition that
   * allows no non-public access).
   */
  static Constructor<?>[] candidates(ConfigurableListableBeanFactory factory, ActorDeclaration d) {
    Constructor<?>[] named = named(factory, d);
    if (named != null) {
      return named;
    }
    return definition(factory, d).isNonPublicAccessAllowed()
        ? d.implementation().getDeclaredConstructors() : d.implementation().getConstructors();
  }

  /**
   * Whether Spring's {@code getBean(name, args)} builds the bean with one of these constructors.
   * It picks, among those with one parameter per argument (the public ones first), one to which
   * each argument is assignable (an instance of its parameter's type, boxed for a primitive one,
   * or a null for a parameter that is not primitive), if there is one. Otherwise, under lenient
   * constructor resolution (a bean definition's default), it takes the first of them all the
   * same, and reflection calls it: with a null as a primitive parameter's default value (0,
   * false) and a boxed primitive widened ({@code Integer} to {@code long}), else failing; under
   * strict resolution it fails.
   */
  static boolean take(ConfigurableListableBeanFactory factory, ActorDeclaration d,
      Constructor<?>[] candidates, Object[] args) {
    Constructor<?> first = null;
    for (int pass = 0; pass < 2; pass++) { // the public constructors first, as Spring sorts them
      for (Constructor<?> c : candidates) {
        if (Modifier.isPublic(c.getModifiers()) != (pass == 0)
            || c.getParameterCount() != args.length) {
          continue;
        }
        if (assignable(c.getParameterTypes(), args)) {
          return true;
        }
        if (first == null) {
          first = c;
        }
      }
    }
    return first != null && definition(factory, d).isLenientConstructorResolution()
        && invocable(first.getParameterTypes(), args);
  }

  /** The merged definition of the actor's bean (a definition's defaults, if of no known kind). */
  static AbstractBeanDefinition definition(ConfigurableListableBeanFactory factory,
      ActorDeclaration d) {
    return factory.getMergedBeanDefinition(d.beanName()) instanceof AbstractBeanDefinition abd
        ? abd : new RootBeanDefinition();
  }

  /** Spring's {@code ClassUtils.isAssignableValue} of each argument. */
  private static boolean assignable(Class<?>[] parameters, Object[] args) {
    for (int i = 0; i < args.length; i++) {
      if (!ClassUtils.isAssignableValue(parameters[i], args[i])) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether reflection, as Spring's {@code BeanUtils.instantiateClass} calls it, takes these
   * arguments: a null for any parameter (a primitive one gets its default value), an instance of a
   * reference parameter's type, a boxed primitive that widens to a primitive parameter's type.
   */
  private static boolean invocable(Class<?>[] parameters, Object[] args) {
    for (int i = 0; i < args.length; i++) {
      Object arg = args[i];
      Class<?> p = parameters[i];
      if (arg != null && !(p.isPrimitive() ? widens(arg.getClass(), p) : p.isInstance(arg))) {
        return false;
      }
    }
    return true;
  }

  /** Whether a boxed primitive widens to a primitive type (JLS 5.1.2), or is of that type. */
  private static boolean widens(Class<?> boxed, Class<?> primitive) {
    Class<?> from = MethodType.methodType(boxed).unwrap().returnType();
    if (from == primitive) {
      return true;
    }
    int source = WIDENING.indexOf(from);
    return source >= 0 && WIDENING.indexOf(primitive) > source && primitive != char.class
        && !(from == char.class && primitive == short.class);
  }

  /**
   * Why Spring cannot autowire the constructor (or {@code @Bean} method) of the actor's bean, as it
   * does when it creates the bean with no arguments, or null if it can (or the bean is made
   * otherwise: a factory method not autowired, a definition's own constructor arguments, an
   * instance supplier of the application's, the no-argument constructor). It reads what the
   * creation would: the {@code @Bean} methods of the bean (its overloads too), the one Spring AOT's
   * generated code calls, or the constructors its post-processors name (for the generated code,
   * those Spring's {@code AutowiredAnnotationBeanPostProcessor} names), each parameter resolved
   * by the bean factory's dependency resolution (an {@code Optional}, an {@code ObjectProvider}, a
   * {@code @Nullable} and a {@code @Lazy} parameter need no bean; a collection, map or array gets
   * an empty one when the constructor is the only one, so it is not read, unless it is a
   * {@code @Lazy} one Spring cannot proxy, an array), and, as Spring, succeeds
   * if one of them resolves. A {@code @Value} parameter is not read: it is a property, not a
   * bean, and may be set only after the startup ({@code local.server.port}, once the server
   * started). It creates no bean that a creation would not: the singletons exist already, and a
   * bean that is not one is found, not created (one inside an {@code Optional}, or in a collection
   * of a constructor that is not the only one, excepted).
   */
  static @Nullable Unsatisfied unsatisfied(ConfigurableListableBeanFactory factory,
      ActorDeclaration d) {
    AbstractBeanDefinition definition = definition(factory, d);
    boolean generated = generated(definition);
    if (definition.hasConstructorArgumentValues()
        || definition.getInstanceSupplier() != null && !generated) {
      return null; // the definition's own arguments, or its supplier, make the bean
    }
    if (generated) { // Spring AOT's code, which autowires what Spring's post-processors name
      Method factoryMethod = ((InstanceSupplier<?>) definition.getInstanceSupplier())
          .getFactoryMethod();
      if (factoryMethod != null) {
        return firstSatisfied(factory, d, new Method[] {factoryMethod});
      }
      // the generated context has no such post-processor: one names the constructors as the
      // one that ran when the code was generated
      AutowiredAnnotationBeanPostProcessor finder = new AutowiredAnnotationBeanPostProcessor();
      finder.setBeanFactory(factory);
      Constructor<?>[] named = finder.determineCandidateConstructors(d.implementation(),
          d.beanName());
      return named == null ? null : firstSatisfied(factory, d, named);
    }
    boolean autowired =
        definition.getResolvedAutowireMode() == AutowireCapableBeanFactory.AUTOWIRE_CONSTRUCTOR;
    if (definition.getFactoryMethodName() != null) {
      // a @Bean method, whose parameters are autowired: as Spring, any of the overloads
      Method[] methods = autowired && definition instanceof RootBeanDefinition root
          ? factoryMethods(factory, root) : null;
      return methods == null ? null : firstSatisfied(factory, d, methods);
    }
    Constructor<?>[] candidates = named(factory, d);
    if (candidates == null && definition instanceof RootBeanDefinition root) {
      candidates = root.getPreferredConstructors(); // a bean registered by its class, for one
    }
    if (candidates == null) {
      if (!autowired) {
        return noArgumentConstructor(d); // none chosen: Spring takes the no-argument one
      }
      candidates = definition.isNonPublicAccessAllowed()
          ? d.implementation().getDeclaredConstructors() : d.implementation().getConstructors();
    }
    return firstSatisfied(factory, d, candidates);
  }

  /**
   * Null if the class has a constructor without parameters, which Spring calls when it chooses
   * none (several constructors, none {@code @Autowired}); else Spring's failure at each creation.
   */
  private static @Nullable Unsatisfied noArgumentConstructor(ActorDeclaration d) {
    for (Constructor<?> c : d.implementation().getDeclaredConstructors()) {
      if (c.getParameterCount() == 0) {
        return null;
      }
    }
    return new Unsatisfied("The constructors of", d.implementation(), "",
        new BeanInstantiationException(d.implementation(), "No default constructor found, and"
            + " none of its " + d.implementation().getDeclaredConstructors().length
            + " constructors is @Autowired"));
  }

  /**
   * Whether the bean is made by the code Spring AOT generated (an {@link InstanceSupplier}, which
   * resolves the arguments of the constructor or factory method it calls, and injects the fields
   * and methods, as Spring's post-processors would), not by a supplier of the application's: the
   * application runs that code ({@link AotDetector#useGeneratedArtifacts()}, as Spring Boot starts
   * it), and the supplier is one of Spring's kind. An application's own {@code InstanceSupplier}
   * is its own otherwise; one it registers in an application started from the generated code is
   * read as that code's.
   */
  static boolean generated(AbstractBeanDefinition definition) {
    return definition.getInstanceSupplier() instanceof InstanceSupplier<?>
        && AotDetector.useGeneratedArtifacts();
  }

  /**
   * Null if one of the constructors or factory methods has all its parameters satisfied, as
   * Spring tries them (the public ones first, then those with more parameters first), else the
   * last one's unsatisfied parameter, which Spring reports.
   */
  private static @Nullable Unsatisfied firstSatisfied(ConfigurableListableBeanFactory factory,
      ActorDeclaration d, Executable[] candidates) {
    Executable[] sorted = candidates.clone();
    Arrays.sort(sorted, Comparator
        .comparing((Executable c) -> !Modifier.isPublic(c.getModifiers()))
        .thenComparing(Executable::getParameterCount, Comparator.reverseOrder()));
    Unsatisfied last = null;
    for (Executable c : sorted) {
      Unsatisfied failed = unsatisfied(factory, d, c, sorted.length == 1);
      if (failed == null) {
        return null;
      }
      last = failed; // Spring reports the last candidate's failure
    }
    return last;
  }

  /**
   * The factory methods Spring chooses the bean's from, as its {@code ConstructorResolver} finds
   * them: the methods of the factory bean's class (or the static ones of the bean class) that the
   * definition takes for its factory method (for a {@code @Bean} method, those of its name that
   * are {@code @Bean} methods of the same bean: overloads, which Spring tries each); the one it
   * resolved if the class is unknown; null if none.
   */
  private static Method @Nullable [] factoryMethods(ConfigurableListableBeanFactory factory,
      RootBeanDefinition definition) {
    String factoryBean = definition.getFactoryBeanName();
    Class<?> factoryClass = factoryBean != null ? factory.getType(factoryBean)
        : definition.hasBeanClass() ? definition.getBeanClass() : null;
    if (factoryClass == null) {
      Method resolved = definition.getResolvedFactoryMethod();
      return resolved == null ? null : new Method[] {resolved};
    }
    factoryClass = ClassUtils.getUserClass(factoryClass);
    Method[] methods = definition.isNonPublicAccessAllowed()
        ? ReflectionUtils.getUniqueDeclaredMethods(factoryClass) : factoryClass.getMethods();
    List<Method> candidates = new ArrayList<>();
    for (Method m : methods) {
      if ((factoryBean != null || Modifier.isStatic(m.getModifiers())
          && m.getDeclaringClass() == factoryClass) && definition.isFactoryMethod(m)) {
        candidates.add(m);
      }
    }
    return candidates.isEmpty() ? null : candidates.toArray(Method[]::new);
  }

  /**
   * The first parameter of a constructor or factory method that no bean satisfies, if any
   * ({@code only}: the bean has no other, so a collection may be empty).
   */
  private static @Nullable Unsatisfied unsatisfied(ConfigurableListableBeanFactory factory,
      ActorDeclaration d, Executable constructor, boolean only) {
    for (int i = 0; i < constructor.getParameterCount(); i++) {
      MethodParameter parameter = MethodParameter.forExecutable(constructor, i);
      FindingDescriptor descriptor = new FindingDescriptor(parameter);
      RuntimeException failed;
      if (only && isMultiple(parameter.getParameterType())) {
        // empty if no bean is one of its elements; not resolved, which would create them all
        failed = unproxied(factory, d.beanName(), descriptor);
        if (failed == null && lazy(factory, d.beanName(), descriptor) == null) {
          failed = unsorted(factory, descriptor);
        }
      } else {
        failed = unresolved(factory, d.beanName(), descriptor);
      }
      if (failed != null) {
        String of = constructor instanceof Method m ? "the factory method "
            + m.getDeclaringClass().getName() + "." + m.getName() + " of" : "the constructor of";
        return new Unsatisfied("Parameter " + i + " of " + of,
            parameter.getGenericParameterType(), "the parameter optional (an Optional, an"
                + " ObjectProvider, or @Nullable)", failed);
      }
    }
    return null;
  }

  /**
   * Why Spring cannot make the lazy proxy of a {@code @Lazy} dependency (one of an array type,
   * which it cannot subclass), as it fails at each creation, or null (not lazy, or proxied). The
   * proxy made resolves nothing.
   */
  static @Nullable RuntimeException unproxied(ConfigurableListableBeanFactory factory,
      String beanName, DependencyDescriptor descriptor) {
    if (!(factory instanceof DefaultListableBeanFactory beans)) {
      return null;
    }
    try {
      beans.getAutowireCandidateResolver().getLazyResolutionProxyIfNecessary(descriptor, beanName);
      return null;
    } catch (RuntimeException e) {
      return e;
    }
  }

  /** The lazy proxy Spring injects for a {@code @Lazy} dependency, else null. */
  private static @Nullable Object lazy(ConfigurableListableBeanFactory factory, String beanName,
      DependencyDescriptor descriptor) {
    return factory instanceof DefaultListableBeanFactory beans ? beans
        .getAutowireCandidateResolver().getLazyResolutionProxyIfNecessary(descriptor, beanName)
        : null;
  }

  /**
   * Why Spring cannot fill a sorted set ({@code SortedSet}, {@code NavigableSet}) with the beans
   * of its element type: it puts them in a {@code TreeSet} without a comparator, which refuses
   * a bean that is not {@code Comparable}, the first too. Null if none of the beans that fill it
   * is of such a type (read without creating them: for a bean not made yet, its declared type,
   * refused only when no object of it can be {@code Comparable}), or a bean of the set's own type
   * is injected instead. Only for a set Spring fills with beans (an interface, not a
   * {@code @Value}).
   */
  static @Nullable RuntimeException unsorted(ConfigurableListableBeanFactory factory,
      DependencyDescriptor descriptor) {
    Class<?> raw = descriptor.getDependencyType();
    if (isValue(factory, descriptor)) {
      return null; // Spring injects the value, not beans
    }
    if (!raw.isInterface() || !SortedSet.class.isAssignableFrom(raw)
        || BeanFactoryUtils.beanNamesForTypeIncludingAncestors(factory, raw, true, false)
            .length > 0) {
      return null;
    }
    DependencyDescriptor elements = FindingDescriptor.elementsOf(descriptor);
    Class<?> element = elements.getDependencyType();
    if (Comparable.class.isAssignableFrom(element)) {
      return null;
    }
    for (String name : BeanFactoryUtils.beanNamesForTypeIncludingAncestors(factory, element,
        true, false)) {
      Class<?> type = factory.getType(name, false);
      if (type != null && !Comparable.class.isAssignableFrom(type)
          && (made(factory, name) || !mayBeBoth(type, Comparable.class))
          && factory.isAutowireCandidate(name, elements)) {
        return new Unsortable("Spring fills a " + raw.getSimpleName() + " with the beans of type '"
            + element.getName() + "' in a TreeSet without a comparator, and the bean '" + name
            + "' is of type '" + type.getName() + "', which is not Comparable: it refuses it");
      }
    }
    return null;
  }

  /** Whether the bean of this name exists, and is not a factory: its type is its object's. */
  static boolean made(ConfigurableListableBeanFactory factory, String name) {
    String canonical = factory instanceof DefaultListableBeanFactory beans
        ? beans.canonicalName(name) : name;
    return factory.containsSingleton(canonical) && !factory.isFactoryBean(canonical);
  }

  /** Whether an object may be of both types: a class may extend or implement both. */
  static boolean mayBeBoth(Class<?> one, Class<?> other) {
    if (one.isAssignableFrom(other) || other.isAssignableFrom(one)) {
      return true;
    }
    if (one.isInterface() && other.isInterface()) {
      return true;
    }
    Class<?> aClass = one.isInterface() ? other : other.isInterface() ? one : null;
    return aClass != null && !Modifier.isFinal(aClass.getModifiers());
  }

  /** A sorted set that Spring would fill with a bean that is not {@code Comparable}. */
  static final class Unsortable extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    Unsortable(String message) {
      super(message);
    }
  }

  /** Whether a dependency of this type gets every bean of its element type (maybe none). */
  static boolean isMultiple(Class<?> type) {
    return type.isArray() || CollectionFactory.isApproximableCollectionType(type)
        || CollectionFactory.isApproximableMapType(type);
  }

  /**
   * Resolves a dependency of the bean as its creation would, without creating a bean that is not
   * a singleton: null if a bean satisfies it (or it is a {@code @Value}, not read: a property, not
   * a bean, which may be set only after the startup), else why not (no bean, or several).
   */
  static @Nullable RuntimeException unresolved(ConfigurableListableBeanFactory factory,
      String beanName, FindingDescriptor descriptor) {
    RuntimeException failed = unresolvedOrNone(factory, beanName, descriptor);
    return failed == NONE ? null : failed; // NONE: not required, it resolves to nothing
  }

  /** What {@link #unresolvedOrNone} answers for a dependency that no bean satisfies. */
  static final RuntimeException NONE = new Found();

  /**
   * As {@link #unresolved}, for a dependency that is not required: {@link #NONE} if it resolves
   * to nothing (no bean: Spring then skips an {@code @Autowired(required = false)} method), else
   * null if a bean satisfies it, or why not (several beans, none chosen).
   */
  static @Nullable RuntimeException unresolvedOrNone(ConfigurableListableBeanFactory factory,
      String beanName, FindingDescriptor descriptor) {
    return isValue(factory, descriptor) ? null : resolution(factory, beanName, descriptor);
  }

  /**
   * As {@link #unresolved}, for a {@code @Resource} found by its type: refused too when it resolves
   * to no bean (a {@code @Nullable} one), which Spring's lookup of a resource refuses.
   */
  static @Nullable RuntimeException unresolvedResource(ConfigurableListableBeanFactory factory,
      String beanName, FindingDescriptor descriptor) {
    RuntimeException failed = resolution(factory, beanName, descriptor);
    return failed != NONE ? failed : new NoSuchBeanDefinitionException(
        descriptor.getDependencyType(), "No resolvable resource object");
  }

  /** Whether the dependency is a {@code @Value} (a property, or an expression), not beans. */
  static boolean isValue(ConfigurableListableBeanFactory factory, DependencyDescriptor descriptor) {
    return factory instanceof DefaultListableBeanFactory beans
        && beans.getAutowireCandidateResolver().getSuggestedValue(descriptor) != null;
  }

  /**
   * The bean factory's resolution of the dependency: null if a bean satisfies it (one not created
   * yet: a creation would create it), {@link #NONE} if it resolves to nothing, else why not (no
   * such bean, or an ambiguous one).
   */
  private static @Nullable RuntimeException resolution(ConfigurableListableBeanFactory factory,
      String beanName, FindingDescriptor descriptor) {
    try {
      return factory.resolveDependency(descriptor, beanName, new LinkedHashSet<>(),
          factory.getTypeConverter()) == null ? NONE : null;
    } catch (Found found) {
      return null;
    } catch (RuntimeException e) {
      return e;
    }
  }

  /** The post-processors' constructors (the {@code @Autowired} ones, or the only one), if any. */
  private static Constructor<?> @Nullable [] named(ConfigurableListableBeanFactory factory,
      ActorDeclaration d) {
    if (factory instanceof AbstractBeanFactory beans) {
      for (BeanPostProcessor processor : beans.getBeanPostProcessors()) {
        if (processor instanceof SmartInstantiationAwareBeanPostProcessor smart) {
          Constructor<?>[] named =
              smart.determineCandidateConstructors(d.implementation(), d.beanName());
          if (named != null) {
            return named;
          }
        }
      }
    }
    return null;
  }

  /**
   * A dependency of an actor's bean that no bean satisfies (a parameter of its constructor, factory
   * method or injected method, or an injected field), and Spring's reason.
   *
   * @param where the dependency, as the description starts ({@code Field 'clock' of})
   * @param type its type
   * @param optional what makes it optional, after "make" ({@code the field optional (...)})
   * @param cause Spring's reason
   */
  record Unsatisfied(String where, java.lang.reflect.Type type, String optional,
      RuntimeException cause) {

    /** What it says of the declaration: the dependency, its type and what went wrong. */
    String describe(ActorDeclaration d) {
      String what = where + " @ActorBean " + d.implementation().getName() + " ("
          + d.activation().name().toLowerCase(java.util.Locale.ROOT) + " actor type '" + d.name()
          + "') ";
      if (cause instanceof ActorInjections.MistypedResource mistyped) {
        return what + "requires a bean of type '" + type.getTypeName() + "', but the bean '"
            + mistyped.getBeanName() + "' its @Resource names is of type '"
            + mistyped.getActualType().getName() + "': " + cause.getMessage();
      }
      if (cause instanceof NoUniqueBeanDefinitionException unique) {
        return what + "requires a single bean of type '" + type.getTypeName() + "', but "
            + unique.getNumberOfBeansFound() + " were found: " + cause.getMessage();
      }
      if (cause instanceof NoSuchBeanDefinitionException) {
        return what + "requires a bean of type '" + type.getTypeName()
            + "' that could not be found: " + cause.getMessage();
      }
      return what + "cannot be resolved: " + cause.getMessage();
    }

    /** How to fix it. */
    String action() {
      if (cause instanceof NoUniqueBeanDefinitionException) {
        return "Mark one of the beans @Primary, or name the one to inject with @Qualifier.";
      }
      if (cause instanceof BeanInstantiationException) {
        return "Mark the constructor to create the actor with @Autowired, or keep only one"
            + " constructor.";
      }
      if (cause instanceof ActorInjections.MistypedResource mistyped) {
        return "Make its @Resource name a bean of type " + type.getTypeName() + ", or inject the"
            + " bean '" + mistyped.getBeanName() + "' as a " + mistyped.getActualType().getName()
            + ".";
      }
      if (cause instanceof Unsortable) {
        return "Take a List (in the beans' @Order), or make the beans Comparable.";
      }
      if (cause instanceof AopConfigException) {
        return "Remove @Lazy from it: Spring cannot make a lazy proxy of its type (an array, a"
            + " final class); take an ObjectProvider to resolve it when used.";
      }
      if (cause instanceof NoSuchBeanDefinitionException
          && type == ActorId.class) {
        return "An actor reads its own id with actorId(), in its constructor too: remove the"
            + " dependency (or define a bean of type " + type.getTypeName() + ").";
      }
      if (cause instanceof NoSuchBeanDefinitionException) {
        return "Define a bean of type " + type.getTypeName() + ", or make " + optional + ".";
      }
      return "Make the dependency resolvable: define the property or bean it names.";
    }
  }

  /**
   * A dependency (a parameter, or a field) that reports a candidate bean that is not a singleton
   * (which the creation would create) instead of creating it. A singleton that exists already is
   * resolved as Spring resolves it, so that several candidates are told apart (by
   * {@code @Primary}, priority or name) or found ambiguous, as the creation finds them. The
   * product of a {@code FactoryBean} is not asked for (asking may make one): it is a candidate by
   * its type, as a bean not created yet, so an ambiguity it is part of is found too.
   */
  static final class FindingDescriptor extends DependencyDescriptor {

    private static final long serialVersionUID = 1L;

    private boolean elements;

    /** The factory beans whose product's type it gave (asked again: the product is found). */
    private final transient Set<String> typed = new HashSet<>();

    FindingDescriptor(MethodParameter parameter) {
      this(parameter, true);
    }

    FindingDescriptor(MethodParameter parameter, boolean required) {
      super(parameter, required);
    }

    FindingDescriptor(java.lang.reflect.Field field) {
      this(field, true);
    }

    FindingDescriptor(java.lang.reflect.Field field, boolean required) {
      super(field, required);
    }

    /** A copy of {@code original}, finding as it does. */
    FindingDescriptor(DependencyDescriptor original) {
      super(original);
    }

    /**
     * The elements of a collection, map (its values) or array dependency, as one dependency of
     * their type: found as Spring finds the candidates that fill {@code original}.
     */
    static FindingDescriptor elementsOf(DependencyDescriptor original) {
      FindingDescriptor elements = new FindingDescriptor(original);
      elements.increaseNestingLevel();
      elements.elements = true;
      return elements;
    }

    /** Its type: for {@link #elementsOf elements}, theirs (an array's component type too). */
    @Override
    public Class<?> getDependencyType() {
      return elements ? getResolvableType().toClass() : super.getDependencyType();
    }

    @Override
    public Object resolveCandidate(String beanName, Class<?> requiredType,
        BeanFactory beanFactory) {
      if (beanFactory instanceof ConfigurableBeanFactory beans
          && beans.containsSingleton(beanName)) {
        if (!beans.isFactoryBean(beanName)) {
          return super.resolveCandidate(beanName, requiredType, beanFactory); // the one there is
        }
        if (typed.add(beanName)) {
          // a factory bean's product, which asking for may make: its type, as Spring lists a
          // candidate not created yet, so that several candidates are told apart or found
          // ambiguous; Spring asks again for the one it chose
          Class<?> type = beans.getType(beanName, false);
          return type != null ? type : requiredType;
        }
      }
      throw new Found(); // a bean that is not created yet: a creation would create it
    }
  }

  /** A candidate was found: the parameter is satisfied. */
  private static final class Found extends RuntimeException {

    private static final long serialVersionUID = 1L;

    Found() {
      super(null, null, false, false);
    }
  }
}
