package io.reactant.spring.boot;

import io.reactant.spring.boot.ActorConstructors.FindingDescriptor;
import io.reactant.spring.boot.ActorConstructors.Unsatisfied;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeanUtils;
import org.springframework.beans.PropertyEditorRegistry;
import org.springframework.beans.PropertyValues;
import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.NoUniqueBeanDefinitionException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.AutowiredAnnotationBeanPostProcessor;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AbstractBeanFactory;
import org.springframework.beans.factory.support.AutowireCandidateResolver;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.annotation.CommonAnnotationBeanPostProcessor;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.BridgeMethodResolver;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationAttributes;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.StringUtils;

/**
 * The fields and methods of an actor's class that Spring injects once it has built the instance
 * ({@code @Autowired}, {@code @Value}, {@code @Inject}, {@code @Resource}), as far as the starter
 * checks them before any actor exists: the rules of Spring's
 * {@code AutowiredAnnotationBeanPostProcessor} and {@code CommonAnnotationBeanPostProcessor}, read
 * without creating anything.
 */
final class ActorInjections {

  /** The annotations Spring's post-processor injects, as it finds them. */
  private static final List<Class<? extends Annotation>> INJECTING = injecting();

  /** {@code jakarta.annotation.Resource}, if on the class path (else Spring injects none). */
  private static final @Nullable Class<? extends Annotation> RESOURCE = resource();

  private ActorInjections() {
  }

  @SuppressWarnings("unchecked")
  private static List<Class<? extends Annotation>> injecting() {
    List<Class<? extends Annotation>> types =
        new ArrayList<>(List.of(Autowired.class, Value.class));
    try {
      types.add((Class<? extends Annotation>) ClassUtils.forName("jakarta.inject.Inject",
          ActorInjections.class.getClassLoader()));
    } catch (ClassNotFoundException | LinkageError e) {
      // not on the class path: Spring does not inject it either
    }
    return List.copyOf(types);
  }

  @SuppressWarnings("unchecked")
  private static @Nullable Class<? extends Annotation> resource() {
    try {
      return (Class<? extends Annotation>) ClassUtils.forName("jakarta.annotation.Resource",
          ActorInjections.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }

  /**
   * The first required dependency of an injected field or method of the actor's class that no bean
   * satisfies, in the order Spring injects them (a superclass's first), or null. As Spring, it
   * passes over a static member, an {@code @Autowired(required = false)} field or method unless
   * several beans match a dependency of it and none is chosen (a method only up to its first
   * parameter that no bean satisfies, where Spring skips it), and a method whose property the
   * bean definition sets; a dependency resolves as a constructor parameter does (an
   * {@code Optional}, an {@code ObjectProvider}, a {@code @Nullable} and a {@code @Lazy} one need
   * no bean, a {@code @Value} is not read). A collection, map or array that Spring fills with
   * beans, which it refuses empty, fails only if no bean is of its element type (resolving it would
   * create its elements); any other (a map whose keys are not strings, an {@code ArrayList}) is a
   * bean of its own type. A {@code @Resource} fails if it names no bean ({@code name}, or by
   * default its field's or property's name, then a bean of its type, as Spring falls back to),
   * or names a bean whose type (read without creating it; the declared one, for a bean not made
   * yet or a factory's product) cannot be the one it asks for; one looked up in JNDI
   * ({@code lookup}, {@code mappedName}), a {@code @Lazy} one, one whose name is a placeholder,
   * and one that gives its {@code type} and names no bean are not read. Only where
   * the bean factory injects such members (an {@code AutowiredAnnotationBeanPostProcessor}, a
   * {@code CommonAnnotationBeanPostProcessor}, as an annotation-configured context has), or the
   * code Spring AOT generated makes the bean (it injects them). It creates no bean that a
   * creation would not.
   */
  static @Nullable Unsatisfied unsatisfied(ConfigurableListableBeanFactory factory,
      ActorDeclaration d) {
    // Spring AOT's code injects what the post-processors found when it was generated
    boolean generated = ActorConstructors.generated(ActorConstructors.definition(factory, d));
    boolean autowires = generated || injects(factory, AutowiredAnnotationBeanPostProcessor.class);
    boolean resources = RESOURCE != null
        && (generated || injects(factory, CommonAnnotationBeanPostProcessor.class));
    if (!autowires && !resources) {
      return null;
    }
    Class<?> implementation = d.implementation();
    PropertyValues set = factory.getMergedBeanDefinition(d.beanName()).getPropertyValues();
    Deque<Class<?>> hierarchy = new ArrayDeque<>();
    for (Class<?> c = implementation; c != null && c != Object.class; c = c.getSuperclass()) {
      hierarchy.push(c); // Spring injects a superclass's members first
    }
    for (Class<?> c : hierarchy) {
      for (Field field : c.getDeclaredFields()) {
        Unsatisfied failed = resources ? resource(factory, d, field, null) : null;
        if (failed == null && autowires) {
          failed = unsatisfied(factory, d, field);
        }
        if (failed != null) {
          return failed;
        }
      }
      List<Method> methods = new ArrayList<>();
      ReflectionUtils.doWithLocalMethods(c, methods::add);
      for (Method method : methods) {
        Unsatisfied failed = resources ? resource(factory, d, method, set) : null;
        if (failed == null && autowires) {
          failed = unsatisfied(factory, d, method, set);
        }
        if (failed != null) {
          return failed;
        }
      }
    }
    return null;
  }

  /** Whether the factory has a post-processor of this kind. */
  private static boolean injects(ConfigurableListableBeanFactory factory,
      Class<? extends BeanPostProcessor> kind) {
    if (factory instanceof AbstractBeanFactory beans) {
      for (BeanPostProcessor processor : beans.getBeanPostProcessors()) {
        if (kind.isInstance(processor)) {
          return true;
        }
      }
    }
    return false;
  }

  private static @Nullable Unsatisfied unsatisfied(ConfigurableListableBeanFactory factory,
      ActorDeclaration d, Field field) {
    AnnotationAttributes injecting = injecting(field);
    if (injecting == null || Modifier.isStatic(field.getModifiers())) {
      return null;
    }
    // one not required may go without a bean, not with several and none chosen
    FindingDescriptor descriptor = new FindingDescriptor(field, required(injecting));
    descriptor.setContainingClass(d.implementation());
    RuntimeException failed = ActorConstructors.isMultiple(field.getType())
        ? unfilled(factory, d.beanName(), descriptor)
        : ActorConstructors.unresolved(factory, d.beanName(), descriptor);
    return failed == null ? null : new Unsatisfied("Field '" + field.getName() + "' of",
        field.getGenericType(), "the field optional (@Autowired(required = false), an Optional,"
            + " an ObjectProvider, or @Nullable)", failed);
  }

  private static @Nullable Unsatisfied unsatisfied(ConfigurableListableBeanFactory factory,
      ActorDeclaration d, Method method, PropertyValues set) {
    Method bridged = BridgeMethodResolver.findBridgedMethod(method);
    if (!BridgeMethodResolver.isVisibilityBridgeMethodPair(method, bridged)) {
      return null;
    }
    AnnotationAttributes injecting = injecting(bridged);
    if (injecting == null || Modifier.isStatic(method.getModifiers())
        || !method.equals(ClassUtils.getMostSpecificMethod(method, d.implementation()))) {
      return null;
    }
    var property = BeanUtils.findPropertyForMethod(bridged, d.implementation());
    if (property != null && set.contains(property.getName())) {
      return null; // the definition sets it: Spring does not inject it
    }
    boolean required = required(injecting);
    for (int i = 0; i < method.getParameterCount(); i++) {
      MethodParameter parameter = new MethodParameter(method, i);
      FindingDescriptor descriptor = new FindingDescriptor(parameter, required);
      descriptor.setContainingClass(d.implementation());
      boolean multiple = ActorConstructors.isMultiple(parameter.getParameterType());
      RuntimeException failed;
      if (required) {
        failed = multiple ? unfilled(factory, d.beanName(), descriptor)
            : ActorConstructors.unresolved(factory, d.beanName(), descriptor);
      } else if (multiple) {
        return null; // never ambiguous; whether Spring skips the method here is not read
      } else {
        failed = ActorConstructors.unresolvedOrNone(factory, d.beanName(), descriptor);
        if (failed == ActorConstructors.NONE) {
          if (!parameter.isOptional()) {
            return null; // Spring skips the method at a parameter without a bean
          }
          failed = null;
        }
      }
      if (failed != null) {
        return new Unsatisfied("Parameter " + i + " of the method " + method.getName() + " of",
            parameter.getGenericParameterType(), "the parameter optional (an Optional, an"
                + " ObjectProvider, or @Nullable), or the method @Autowired(required = false)",
            failed);
      }
    }
    return null;
  }

  /**
   * Why Spring refuses a required dependency of a collection, map or array type. One it fills with
   * beans (an array, a collection interface, a map interface of string keys) is read without
   * creating its elements (as resolving it would): refused when no bean is of its element type (as
   * Spring finds candidates: qualifiers, generics and the factory's resolvable dependencies, such
   * as the {@code ApplicationContext}, count), nor of its own type; a sorted set, when a bean that
   * fills it is not {@code Comparable}. Any other is resolved as a bean of its own type. Null
   * otherwise, as when it cannot tell (elements that are collections themselves), or the
   * dependency is not required ({@code @Nullable}), lazy or a {@code @Value}.
   * A lazy one whose proxy Spring cannot make (an array) is refused with Spring's reason.
   */
  private static @Nullable RuntimeException unfilled(ConfigurableListableBeanFactory factory,
      String beanName, FindingDescriptor descriptor) {
    if (!descriptor.isRequired() || !(factory instanceof DefaultListableBeanFactory beans)) {
      return null;
    }
    AutowireCandidateResolver resolver = beans.getAutowireCandidateResolver();
    RuntimeException unproxied = ActorConstructors.unproxied(factory, beanName, descriptor);
    if (unproxied != null) {
      return unproxied; // a @Lazy array, which Spring cannot proxy: it fails so at each creation
    }
    if (resolver.getSuggestedValue(descriptor) != null
        || resolver.getLazyResolutionProxyIfNecessary(descriptor, beanName) != null) {
      return null; // a @Value, or a @Lazy proxy that resolves nothing now
    }
    ResolvableType type = descriptor.getResolvableType();
    Class<?> raw = type.resolve();
    if (raw == null) {
      return null;
    }
    if (!(raw.isArray() || Collection.class.isAssignableFrom(raw) && raw.isInterface()
        || Map.class.isAssignableFrom(raw) && raw.isInterface()
            && type.asMap().resolveGeneric(0) == String.class)) {
      // what Spring does not fill with beans (a class, a map by other keys): a bean of its type
      return ActorConstructors.unresolved(factory, beanName, descriptor);
    }
    FindingDescriptor elements = FindingDescriptor.elementsOf(descriptor); // a map's values
    Class<?> element = elements.getDependencyType();
    if (ActorConstructors.isMultiple(element)) {
      return null;
    }
    RuntimeException none = ActorConstructors.unresolved(factory, beanName, elements);
    if (BeanFactoryUtils.beanNamesForTypeIncludingAncestors(factory, raw, true, true)
        .length > 0) {
      return null; // a bean of its own type
    }
    if (!(none instanceof NoSuchBeanDefinitionException)
        || none instanceof NoUniqueBeanDefinitionException) { // beans fill it
      return ActorConstructors.unsorted(factory, descriptor);
    }
    return new NoSuchBeanDefinitionException(type, "no bean is of its element type "
        + element.getName() + ", and Spring refuses a required collection, map or array that no"
        + " bean fills");
  }

  /**
   * Why Spring cannot inject a {@code @Resource} field or method (a {@link Field}, or a
   * {@link Method} with the bean definition's property values), as its
   * {@code CommonAnnotationBeanPostProcessor} finds the bean: the one of its name, or by default
   * of its field's or property's name if there is one, else by its type (one that resolves to no
   * bean is refused, a {@code @Nullable} one too).
   */
  private static @Nullable Unsatisfied resource(ConfigurableListableBeanFactory factory,
      ActorDeclaration d, java.lang.reflect.Member member, @Nullable PropertyValues set) {
    AnnotatedElement annotated = (AnnotatedElement) member;
    Method method = member instanceof Method m ? BridgeMethodResolver.findBridgedMethod(m) : null;
    if (method != null) {
      if (!BridgeMethodResolver.isVisibilityBridgeMethodPair((Method) member, method)
          || !member.equals(ClassUtils.getMostSpecificMethod((Method) member, d.implementation()))
          || method.getParameterCount() != 1) {
        return null; // Spring injects the bridged one, or fails on it
      }
      annotated = method;
    }
    Annotation resource = RESOURCE == null ? null : annotated.getAnnotation(RESOURCE);
    if (resource == null || Modifier.isStatic(member.getModifiers())
        || AnnotatedElementUtils.hasAnnotation(annotated, Lazy.class)) {
      return null;
    }
    var property = method == null ? null
        : BeanUtils.findPropertyForMethod(method, d.implementation());
    if (property != null && set != null && set.contains(property.getName())) {
      return null; // the definition sets it: Spring does not inject it
    }
    AnnotationAttributes attributes = AnnotationUtils.getAnnotationAttributes(resource, false,
        false);
    if (StringUtils.hasLength(attributes.getString("lookup"))
        || StringUtils.hasLength(attributes.getString("mappedName"))) {
      return null; // from JNDI
    }
    String name = attributes.getString("name");
    boolean defaultName = !StringUtils.hasLength(name);
    if (defaultName) {
      name = member.getName();
      if (method != null && name.startsWith("set") && name.length() > 3) {
        name = StringUtils.uncapitalizeAsProperty(name.substring(3));
      }
    } else if (name.contains("${")) {
      return null; // a placeholder: not read
    }
    FindingDescriptor descriptor = method == null ? new FindingDescriptor((Field) annotated)
        : new FindingDescriptor(new MethodParameter(method, 0));
    descriptor.setContainingClass(d.implementation());
    if (factory.containsBean(name)) { // Spring asks for the bean of its name, of its type
      Class<?> given = attributes.getClass("type");
      MistypedResource mistyped = mistyped(factory, name,
          given != Object.class ? given : descriptor.getDependencyType());
      return mistyped == null ? null : new Unsatisfied(method == null
          ? "Field '" + member.getName() + "' of" : "Parameter 0 of the method "
          + member.getName() + " of", descriptor.getResolvableType().getType(), "its @Resource"
          + " name a bean of its type", mistyped);
    }
    if (defaultName && attributes.getClass("type") != Object.class) {
      return null; // one of its own type: not read
    }
    RuntimeException failed = defaultName // Spring falls back to a bean of its type
        ? ActorConstructors.unresolvedResource(factory, d.beanName(), descriptor)
        : new NoSuchBeanDefinitionException(name);
    return failed == null ? null : new Unsatisfied(method == null
        ? "Field '" + member.getName() + "' of" : "Parameter 0 of the method " + member.getName()
        + " of", descriptor.getResolvableType().getType(), "its @Resource name a bean that"
        + " exists, or inject it with @Autowired(required = false)", failed);
  }

  /**
   * Why Spring cannot inject the bean of this name as the type a {@code @Resource} asks for: its
   * type, read without creating it, is known and neither that type nor one the bean factory's
   * conversions turn into it (a string, what its conversion service or its type converter
   * converts; a collection or an array, which it may build); else null. The type of a bean that
   * is not made yet (a prototype, a lazy one) or of a {@code FactoryBean}'s product is only the
   * one declared (the {@code @Bean} method's return type, {@code getObjectType()}), which the
   * object made may extend: it is refused only when no object of it can be of the type asked for.
   */
  private static @Nullable MistypedResource mistyped(ConfigurableListableBeanFactory factory,
      String name, Class<?> required) {
    Class<?> actual = factory.getType(name, false);
    if (actual == null || factory.isTypeMatch(name, required) || actual == String.class
        || required.isArray() || Collection.class.isAssignableFrom(required)
        || Map.class.isAssignableFrom(required) || ClassUtils.isAssignable(required, actual)) {
      return null;
    }
    var conversions = factory.getConversionService();
    if (conversions != null && conversions.canConvert(actual, required)
        || converted(factory, actual, required)) {
      return null;
    }
    if (!ActorConstructors.made(factory, name) && ActorConstructors.mayBeBoth(actual, required)) {
      return null; // a declared type: the object made may be of the one asked for
    }
    return new MistypedResource(name, required, actual);
  }

  /**
   * Whether the bean factory's type converter turns an object of this type into the required one
   * without a conversion service, as it does when it asks for the bean by name: a custom editor
   * of the required type, a number into another number type, a boxed primitive into a string
   * (any, for a custom type converter, which the check cannot read).
   */
  private static boolean converted(ConfigurableListableBeanFactory factory, Class<?> actual,
      Class<?> required) {
    Class<?> boxed = ClassUtils.resolvePrimitiveIfNecessary(required);
    return !(factory.getTypeConverter() instanceof PropertyEditorRegistry editors)
        || editors.findCustomEditor(required, null) != null
        || Number.class.isAssignableFrom(actual) && Number.class.isAssignableFrom(boxed)
        || required == String.class && ClassUtils.isPrimitiveOrWrapper(actual);
  }

  /** The bean a {@code @Resource} names, whose type is not the one it asks for. */
  static final class MistypedResource
      extends org.springframework.beans.factory.BeanNotOfRequiredTypeException {

    private static final long serialVersionUID = 1L;

    MistypedResource(String name, Class<?> required, Class<?> actual) {
      super(name, required, actual);
    }
  }

  private static @Nullable AnnotationAttributes injecting(java.lang.reflect.AnnotatedElement e) {
    if (e.getAnnotations().length == 0) {
      return null;
    }
    for (Class<? extends Annotation> type : INJECTING) {
      AnnotationAttributes attributes =
          AnnotatedElementUtils.getMergedAnnotationAttributes(e, type);
      if (attributes != null) {
        return attributes;
      }
    }
    return null;
  }

  /** Spring's rule: required unless {@code required = false}. */
  private static boolean required(AnnotationAttributes injecting) {
    return !injecting.containsKey("required") || injecting.getBoolean("required");
  }
}
