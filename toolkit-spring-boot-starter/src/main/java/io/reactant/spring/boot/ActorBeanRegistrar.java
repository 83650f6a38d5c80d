package io.reactant.spring.boot;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorId;
import io.reactant.spring.boot.ActorBean.Activation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.core.type.MethodMetadata;
import org.springframework.core.type.classreading.CachingMetadataReaderFactory;
import org.springframework.core.type.classreading.MetadataReaderFactory;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Finds the bean definitions of classes annotated with {@link ActorBean}, checks them, and
 * prepares them to be created only by the actor system.
 *
 * <p>For each declaration it: resolves the actor interface, name and id; takes the implementation
 * out of autowiring (so that injecting the interface never creates an actor outside
 * {@code spawn}); and, for a singleton, registers a bean of the actor interface whose value is a
 * reference to the actor, so that {@code @Autowired PizzaParlor parlor} gets the reference. A
 * misconfiguration fails the startup with an {@link ActorDeclarationException}, as does an actor
 * declared in a context whose {@link ActorDirectory} does not know it (a child context's, whose
 * directory is its parent's, or a descendant's that has no registrar), or defined once the actors
 * were declared (by a {@code BeanFactoryPostProcessor} that runs after this one, or while the
 * beans are created).
 *
 * <p>The auto-configuration registers it; applications do not use it directly.
 */
public final class ActorBeanRegistrar implements BeanDefinitionRegistryPostProcessor,
    BeanClassLoaderAware, BeanFactoryAware, SmartInitializingSingleton, Ordered {

  private @Nullable ClassLoader classLoader = ClassUtils.getDefaultClassLoader();
  private @Nullable BeanFactory beanFactory;
  /**
   * The attribute of an actor's bean definition that holds its declaration: read by a failure
   * analysis once the context, and this bean, are gone.
   */
  static final String DECLARATION = ActorDeclaration.class.getName();
  /**
   * The attribute of a singleton's reference bean definition that holds the singleton's
   * declaration: {@link ActorReferenceAotExclusion} leaves such a bean out of Spring AOT's code.
   */
  static final String REFERENCE = DECLARATION + ".reference";

  private List<ActorDeclaration> declarations = List.of();
  private @Nullable MetadataReaderFactory metadataReaders;
  /** The names of the definitions looked at already (the second look skips them). */
  private final Set<String> lookedAt = new HashSet<>();
  /** Whether a class (by name) or a supertype carries {@link ActorBean}, for the files read. */
  private final Map<String, Boolean> declaring = new HashMap<>();

  @Override
  public void setBeanClassLoader(ClassLoader classLoader) {
    this.classLoader = classLoader;
  }

  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    this.beanFactory = beanFactory;
  }

  /**
   * Fails the startup if the {@link ActorDirectory} of this context does not know an actor
   * declared here: it would never be created.
   *
   * @throws ActorDeclarationException naming the first such actor
   */
  @Override
  public void afterSingletonsInstantiated() {
    BeanFactory factory = beanFactory;
    try {
      if (factory instanceof BeanDefinitionRegistry registry) {
        rejectLateActors(registry);
      }
    } finally {
      metadataReaders = null; // its class files and names are no longer needed
      lookedAt.clear();
      declaring.clear();
    }
    ActorDirectory directory = factory == null ? null
        : factory.getBeanProvider(ActorDirectory.class).getIfUnique();
    if (directory != null) {
      for (ActorDeclaration d : declarations) {
        requireKnown(factory, directory, d);
      }
    }
  }

  /**
   * Fails the startup on an actor whose bean definition was registered after the last look (by a
   * {@code BeanFactoryPostProcessor} that ran after this one, or while the singletons were
   * created): the directory, built from the declarations, does not know it.
   *
   * @throws ActorDeclarationException naming the first such actor
   */
  private void rejectLateActors(BeanDefinitionRegistry registry) {
    for (String beanName : registry.getBeanDefinitionNames()) {
      if (lookedAt.contains(beanName)) {
        continue;
      }
      Class<?> implementation;
      try {
        implementation = actorBeanClass(beanName, registry.getBeanDefinition(beanName), registry);
      } catch (BeansException e) {
        continue; // not resolvable: not an actor the registrar can see
      }
      if (implementation != null) {
        throw new ActorDeclarationException("@ActorBean " + implementation.getName() + " (bean '"
            + beanName + "') was registered after the actors were declared (by a"
            + " BeanFactoryPostProcessor that ran after the starter's ActorBeanRegistrar, or while"
            + " the beans were created): the ActorDirectory does not know it, so it would never be"
            + " created, and calls to it would fail with code 3",
            "Register its bean definition in the postProcessBeanDefinitionRegistry method of a"
                + " BeanDefinitionRegistryPostProcessor, or declare the class by component"
                + " scanning or @Import: the actors are declared once those have run.");
      }
    }
  }

  /**
   * The directory the beans of a context get, which must know a declaration of the context: a
   * child context's {@code @ActorBean} classes, for one, are unknown to its parent's directory,
   * which it gets when it has none of its own (the auto-configuration makes none where an
   * ancestor has one).
   *
   * @throws ActorDeclarationException if the directory does not know {@code d}
   */
  private static ActorDirectory directoryOf(BeanFactory beanFactory, ActorDeclaration d) {
    ActorDirectory directory = beanFactory.getBean(ActorDirectory.class);
    requireKnown(beanFactory, directory, d);
    return directory;
  }

  private static void requireKnown(BeanFactory beanFactory, ActorDirectory directory,
      ActorDeclaration d) {
    if (directory.declaration(d.name()).filter(d::equals).isPresent()) {
      return;
    }
    if (beanFactory instanceof ListableBeanFactory local
        && local.getBeanNamesForType(ActorDirectory.class, true, false).length == 0) {
      throw UndeclaredChildActors.refusal(d.implementation(), d.beanName());
    }
    String actor = "@ActorBean " + d.implementation().getName() + " (bean '" + d.beanName() + "')";
    throw new ActorDeclarationException(actor + " is declared, but the ActorDirectory bean does"
        + " not know it: it would never be created, and calls to it would fail with code 3",
        "Build the ActorDirectory bean with the declarations of the ActorBeanRegistrar bean, or"
            + " remove it to get the auto-configured one.");
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }

  /** Returns the declarations found, in the order of their bean definitions. */
  public List<ActorDeclaration> declarations() {
    return declarations;
  }

  /**
   * Returns the name of an actor type, as metrics and the Actuator show it: its declared name
   * ({@link ActorBean#name}, the interface's simple name by default); for a type no
   * {@code @ActorBean} declares, the interface's simple name, or its full name when a declared
   * type already goes by that simple name (two types never share a name).
   */
  public String typeName(Class<?> type) {
    String simple = type.getSimpleName();
    boolean taken = false;
    for (ActorDeclaration d : declarations) {
      if (d.type() == type) {
        return d.name();
      }
      taken |= d.name().equals(simple);
    }
    return taken ? type.getName() : simple;
  }

  /**
   * Declares the actors, and registers the check that a descendant context without a registrar
   * declares none ({@link UndeclaredChildActors}).
   */
  @Override
  public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
    if (!registry.containsBeanDefinition(UndeclaredChildActors.BEAN_NAME)) {
      RootBeanDefinition check = new RootBeanDefinition(UndeclaredChildActors.class);
      check.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
      registry.registerBeanDefinition(UndeclaredChildActors.BEAN_NAME, check);
      lookedAt.add(UndeclaredChildActors.BEAN_NAME);
    }
    declareActors(registry);
  }

  /**
   * Looks again: a {@link BeanDefinitionRegistryPostProcessor} that ran after this one (one that is
   * not {@link Ordered}, for example) may have defined actors too. The last look: an actor defined
   * later fails the startup once the singletons exist.
   */
  @Override
  public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    if (beanFactory instanceof BeanDefinitionRegistry registry) {
      declareActors(registry);
    }
    metadataReaders = null; // read again only for the definitions registered later
    declaring.clear();
  }

  /** Declares the actors of the definitions not looked at yet. */
  private void declareActors(BeanDefinitionRegistry registry) {
    List<ActorDeclaration> added = new ArrayList<>();
    for (String beanName : registry.getBeanDefinitionNames()) {
      if (!lookedAt.add(beanName)) {
        continue; // read in the first look: its class file is not read again
      }
      BeanDefinition definition = registry.getBeanDefinition(beanName);
      Class<?> implementation;
      try {
        implementation = actorBeanClass(beanName, definition, registry);
      } catch (BeansException e) {
        // a child definition whose parent is not registered yet: the second look tries again
        lookedAt.remove(beanName);
        continue;
      }
      if (implementation == null) {
        continue;
      }
      ActorBean annotation = AnnotatedElementUtils.findMergedAnnotation(implementation, ActorBean.class);
      if (annotation == null) {
        continue;
      }
      ActorDeclaration declaration = declare(beanName, implementation, annotation);
      added.add(declaration);
      definition.setAttribute(DECLARATION, declaration); // for ActorFailureAnalyzer
      // whatever kind of definition: the actor system alone creates actors, one per instance
      definition.setAutowireCandidate(false);
      definition.setScope(BeanDefinition.SCOPE_PROTOTYPE);
    }
    if (added.isEmpty()) {
      return;
    }
    List<ActorDeclaration> found = new ArrayList<>(declarations);
    found.addAll(added);
    rejectDuplicates(found);
    this.declarations = List.copyOf(found);
    for (ActorDeclaration d : added) {
      if (d.isSingleton()) {
        registerReference(registry, d);
        lookedAt.add(referenceName(d)); // not an actor, whatever its interface carries
      }
    }
  }

  /**
   * The class of the bean a definition creates, if it is annotated with {@link ActorBean} (or with
   * an annotation that carries it), or extends or implements such a type: a scanned or imported
   * class, one a {@code @Bean} method returns, a class named only by its name (XML, {@code
   * BeanDefinitionBuilder}) or given as a class, one an XML-style factory method returns (static,
   * or of a factory bean), or the class of a child definition. An abstract definition creates no
   * bean (its children do), and a bean whose type is an interface (one that carries
   * {@code @ActorBean}: a singleton's reference, a {@code @Bean} reference to a virtual actor's id,
   * a test's mock of it) is no actor.
   *
   * @throws BeansException if the bean factory cannot resolve the definition yet (a child
   *     definition whose parent is not registered)
   */
  private @Nullable Class<?> actorBeanClass(String beanName, BeanDefinition definition,
      BeanDefinitionRegistry registry) {
    if (definition.isAbstract()) {
      return null;
    }
    if (definition instanceof AnnotatedBeanDefinition annotated) {
      MethodMetadata factoryMethod = annotated.getFactoryMethodMetadata();
      if (factoryMethod != null) { // a @Bean method: its metadata is its configuration class's
        return annotatedClass(factoryMethod.getReturnTypeName());
      }
      // its class file was read already: only its supertypes' are read now
      AnnotationMetadata metadata = annotated.getMetadata();
      try {
        return !metadata.isInterface() && declaresActorBean(metadata)
            ? ClassUtils.forName(metadata.getClassName(), classLoader) : null;
      } catch (IOException | ClassNotFoundException | LinkageError e) {
        return null; // not an actor the registrar can see; creating the bean reports it
      }
    }
    BeanDefinition merged = definition;
    if (definition.getParentName() != null) {
      // a child definition: merged with its parents, its class is read as any other's (from its
      // class file, not loaded)
      if (!(registry instanceof ConfigurableListableBeanFactory parents)) {
        return null;
      }
      merged = parents.getMergedBeanDefinition(beanName);
    }
    if (merged.getFactoryMethodName() == null) {
      if (merged instanceof AbstractBeanDefinition abd && abd.hasBeanClass()) {
        Class<?> beanClass = abd.getBeanClass();
        return !beanClass.isInterface()
            && AnnotatedElementUtils.hasAnnotation(beanClass, ActorBean.class) ? beanClass : null;
      }
      String className = merged.getBeanClassName();
      if (className != null) {
        return annotatedClass(className);
      }
    }
    // a factory method (the bean class, if any, is the factory's): the bean factory resolves the
    // type the bean will have, without creating anything
    if (!(registry instanceof ConfigurableListableBeanFactory beanFactory)) {
      return null;
    }
    Class<?> type = beanFactory.getType(beanName, false);
    return type != null && !type.isInterface()
        && AnnotatedElementUtils.hasAnnotation(type, ActorBean.class) ? type : null;
  }

  /**
   * The named class if it, a superclass or an interface of it is annotated with {@link ActorBean},
   * else null (and null for an interface, which is no actor's class). The class files are read
   * first, without loading them (as component scanning does, so that a class loaded only later, by
   * a load-time weaver for example, is not loaded here), and the class loaded only if it is an
   * actor's.
   */
  private @Nullable Class<?> annotatedClass(String className) {
    if (ClassUtils.resolvePrimitiveClassName(className) != null || className.endsWith("[]")) {
      return null;
    }
    try {
      if (!declaresActorBean(className)) {
        return null;
      }
      Class<?> type = ClassUtils.forName(className, classLoader);
      return type.isInterface() ? null : type;
    } catch (IOException | ClassNotFoundException | LinkageError e) {
      return null; // not an actor the registrar can see; creating the bean reports it
    }
  }

  /**
   * Whether the named type or one of its supertypes carries {@link ActorBean}, read from their
   * class files (each read once per look).
   */
  private boolean declaresActorBean(String className) throws IOException {
    if (className.startsWith("java.") || className.startsWith("org.springframework.")) {
      return false;
    }
    Boolean known = declaring.get(className);
    if (known == null) {
      known = declaresActorBean(
          metadataReaders().getMetadataReader(className).getAnnotationMetadata());
      declaring.put(className, known);
    }
    return known;
  }

  /** Whether a type or one of its supertypes carries {@link ActorBean}, present or meta-present. */
  private boolean declaresActorBean(AnnotationMetadata metadata) throws IOException {
    if (metadata.isAnnotated(ActorBean.class.getName())) {
      return true;
    }
    String superClass = metadata.getSuperClassName();
    if (superClass != null && declaresActorBean(superClass)) {
      return true;
    }
    for (String type : metadata.getInterfaceNames()) {
      if (declaresActorBean(type)) {
        return true;
      }
    }
    return false;
  }

  private MetadataReaderFactory metadataReaders() {
    MetadataReaderFactory readers = metadataReaders;
    if (readers == null) {
      readers = new CachingMetadataReaderFactory(classLoader);
      metadataReaders = readers;
    }
    return readers;
  }

  static ActorDeclaration declare(String beanName, Class<?> implementation, ActorBean annotation) {
    String where = "@ActorBean " + implementation.getName();
    if (!Actor.class.isAssignableFrom(implementation)) {
      throw new ActorDeclarationException(where + " does not extend " + Actor.class.getName(),
          "Make " + implementation.getSimpleName() + " extend Actor and implement its actor"
              + " interface, or remove @ActorBean.");
    }
    Class<?> type = actorInterface(implementation, annotation, where);
    String name = StringUtils.hasText(annotation.name()) ? annotation.name() : type.getSimpleName();
    if (!name.matches("[A-Za-z0-9_.~-]+")) {
      throw new ActorDeclarationException(where + " has the name '" + name + "', which is not a"
          + " URL path segment", "Use letters, digits, '_', '.', '~' or '-' in @ActorBean(name).");
    }
    if (name.equals(".") || name.equals("..")) {
      throw new ActorDeclarationException(where + " has the name '" + name + "', which is a"
          + " dot-segment of a URL path: clients remove it from /actors/" + name + "/{id}/{method}"
          + " (RFC 3986) and Spring Security's firewall refuses it, so no call would reach the"
          + " type", "Use another name in @ActorBean(name), with a letter, a digit, '_', '~' or"
          + " '-'.");
    }
    ActorId id = null;
    if (annotation.activation() == Activation.SINGLETON) {
      id = ActorId.of(StringUtils.hasText(annotation.id())
          ? annotation.id()
          : StringUtils.uncapitalize(name));
      if (annotation.exposed() && (annotation.id().equals(".") || annotation.id().equals(".."))) {
        throw new ActorDeclarationException(where + " is exposed over HTTP, but sets id = \""
            + annotation.id() + "\", a dot-segment of a URL path: clients remove it from /actors/"
            + name + "/" + annotation.id() + "/{method} (RFC 3986) and Spring Security's firewall"
            + " refuses it, so no call over HTTP would reach the actor",
            "Use another id in @ActorBean(id), or set @ActorBean(exposed = false).");
      }
    } else if (StringUtils.hasText(annotation.id())) {
      throw new ActorDeclarationException(where + " sets id = \"" + annotation.id() + "\" but is "
          + annotation.activation() + ": only a singleton has a fixed id",
          "Remove the id, or declare the actor with activation = Activation.SINGLETON.");
    }
    return new ActorDeclaration(name, type, implementation, beanName, annotation.activation(), id,
        annotation.exposed());
  }

  private static Class<?> actorInterface(Class<?> implementation, ActorBean annotation, String where) {
    Class<?> declared = annotation.type();
    if (declared != void.class) {
      if (!declared.isInterface() || !declared.isAssignableFrom(implementation)) {
        throw new ActorDeclarationException(where + " declares type = " + declared.getName()
            + ", which is not an interface it implements",
            "Set @ActorBean(type = ...) to the actor interface that "
                + implementation.getSimpleName() + " implements.");
      }
      return declared;
    }
    Class<?>[] interfaces = ClassUtils.getAllInterfacesForClass(implementation);
    if (interfaces.length != 1) {
      throw new ActorDeclarationException(where + " implements " + interfaces.length
          + " interfaces " + Arrays.toString(Arrays.stream(interfaces).map(Class::getSimpleName)
              .toArray()) + ", so its actor type is ambiguous",
          "Name the actor interface with @ActorBean(type = ...).");
    }
    return interfaces[0];
  }

  private static void rejectDuplicates(List<ActorDeclaration> found) {
    Map<Class<?>, ActorDeclaration> byType = new HashMap<>();
    Map<String, ActorDeclaration> byName = new HashMap<>();
    Map<ActorId, ActorDeclaration> byId = new HashMap<>();
    for (ActorDeclaration d : found) {
      ActorDeclaration other = byType.putIfAbsent(d.type(), d);
      if (other != null) {
        throw new ActorDeclarationException("The actor type " + d.type().getName()
            + " is declared twice: by " + other.implementation().getName() + " (bean '"
            + other.beanName() + "') and by " + d.implementation().getName() + " (bean '"
            + d.beanName() + "')",
            "Keep one @ActorBean implementation per actor interface: remove the annotation from"
                + " one of them, or give each its own interface.");
      }
      other = byName.putIfAbsent(d.name(), d);
      if (other != null) {
        throw new ActorDeclarationException("The actor name '" + d.name() + "' is used twice: by "
            + other.implementation().getName() + " and by " + d.implementation().getName(),
            "Give one of them another name with @ActorBean(name = ...).");
      }
      other = d.singletonId() == null ? null : byId.putIfAbsent(d.singletonId(), d);
      if (other != null) {
        // actor ids are unique across types: the second would never be created, and its
        // reference would name the first actor, which has none of its methods
        throw new ActorDeclarationException("The singleton id '" + d.singletonId() + "' is used"
            + " twice: by " + other.implementation().getName() + " (actor type '" + other.name()
            + "') and by " + d.implementation().getName() + " (actor type '" + d.name() + "')",
            "Give one of them another id with @ActorBean(id = ...): actor ids are unique across"
                + " types (by default a singleton's id is its name with a lower-case first"
                + " letter).");
      }
    }
  }

  private static void registerReference(BeanDefinitionRegistry registry, ActorDeclaration d) {
    if (!(registry instanceof BeanFactory beanFactory)) {
      return;
    }
    registerReference(registry, beanFactory, d, d.type());
  }

  private static <I> void registerReference(BeanDefinitionRegistry registry, BeanFactory beanFactory,
      ActorDeclaration d, Class<I> type) {
    RootBeanDefinition reference = new RootBeanDefinition(type,
        () -> directoryOf(beanFactory, d).singleton(type));
    reference.setDescription("Reference to the singleton " + d);
    reference.setAttribute(REFERENCE, d); // a supplier, which AOT cannot write: registered again
    registry.registerBeanDefinition(referenceName(d), reference);
  }

  /** The name of the bean of a singleton's reference. */
  private static String referenceName(ActorDeclaration d) {
    return StringUtils.uncapitalize(d.name()) + "ActorRef";
  }
}
