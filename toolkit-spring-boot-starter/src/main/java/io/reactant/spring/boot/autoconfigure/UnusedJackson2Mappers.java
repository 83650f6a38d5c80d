package io.reactant.spring.boot.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.env.Environment;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.util.ClassUtils;

/**
 * Warns once at startup of the application's Jackson 2 {@code ObjectMapper} beans ({@code
 * com.fasterxml.jackson.databind}), when Jackson 2 is on the classpath: the actor endpoints and
 * the starter's error bodies read and write JSON with Jackson 3's {@code JsonMapper} ({@code
 * tools.jackson}), which such a bean's naming strategy, modules and features do not reach, so a
 * customization made there would be ignored without a word. Honouring it is not offered: the two
 * versions share no configuration, and the endpoints' reading (error messages, strict checks)
 * is Jackson 3's. The starter does not depend on Jackson 2: the check looks its class up.
 *
 * <p>The {@code ObjectMapper} that Spring Boot's own Jackson 2 support defines ({@code
 * spring-boot-jackson2}: a bean of a factory method of its {@code Jackson2AutoConfiguration}) is
 * no bean the application wrote, and is not named on its own. Where the server's JSON codecs are
 * Jackson 2's ({@code spring.http.codecs.preferred-json-mapper=jackson2}, whichever mapper they
 * are over), the warning says that the application's controllers read and write with Jackson 2
 * while the actor endpoints keep Jackson 3, whose settings are not shared.
 */
final class UnusedJackson2Mappers implements SmartInitializingSingleton {

  static final String OBJECT_MAPPER = "com.fasterxml.jackson.databind.ObjectMapper";

  /** Spring Boot's Jackson 2 auto-configuration, whose (nested) classes declare its mapper. */
  static final String BOOTS_JACKSON2 =
      "org.springframework.boot.jackson2.autoconfigure.Jackson2AutoConfiguration";

  static final String PREFERRED_JSON_MAPPER = "spring.http.codecs.preferred-json-mapper";

  private static final String JACKSON2_DECODER =
      "org.springframework.http.codec.json.AbstractJackson2Decoder";

  private static final String JACKSON3 = "read and write JSON with Jackson 3"
      + " (tools.jackson.databind.json.JsonMapper";

  private static final Log LOG = LogFactory.getLog(UnusedJackson2Mappers.class);

  private final ConfigurableListableBeanFactory beanFactory;
  private final Environment environment;

  UnusedJackson2Mappers(ConfigurableListableBeanFactory beanFactory, Environment environment) {
    this.beanFactory = beanFactory;
    this.environment = environment;
  }

  @Override
  public void afterSingletonsInstantiated() {
    ClassLoader classLoader = beanFactory.getBeanClassLoader();
    if (!ClassUtils.isPresent(OBJECT_MAPPER, classLoader)) {
      return;
    }
    String[] mappers = beanFactory.getBeanNamesForType(
        ClassUtils.resolveClassName(OBJECT_MAPPER, classLoader), true, false);
    List<String> own = new ArrayList<>();
    for (String mapper : mappers) {
      if (!isSpringBoots(mapper)) {
        own.add(mapper);
      }
    }
    boolean jackson2Codecs = jackson2Codecs(classLoader);
    List<String> sentences = new ArrayList<>();
    if (!own.isEmpty()) {
      sentences.add("The actor endpoints and the starter's error bodies " + JACKSON3 + "): the"
          + " Jackson 2 " + OBJECT_MAPPER + beans(own) + (own.size() == 1 ? " does" : " do")
          + " not configure them (its naming strategy, modules and features are ignored there)."
          + " Customize Jackson 3 instead: spring.jackson.* properties, a"
          + " JsonMapperBuilderCustomizer bean, or a JsonMapper bean");
    }
    if (jackson2Codecs) {
      String preferred = environment.getProperty(PREFERRED_JSON_MAPPER);
      sentences.add("The server's JSON codecs are Jackson 2's" + (preferred == null ? ""
          : " (" + PREFERRED_JSON_MAPPER + "=" + preferred + ")")
          + (mappers.length == 0 ? "" : ", over the Jackson 2 " + OBJECT_MAPPER
          + beans(List.of(mappers)) + (own.size() == mappers.length ? ""
          : " (spring.jackson2.* properties and Jackson2ObjectMapperBuilderCustomizer beans"
          + " configure Spring Boot's)"))
          + ": the application's controllers and routes read and write JSON with Jackson 2,"
          + " while the actor endpoints and the starter's error bodies still " + JACKSON3
          + ": spring.jackson.* properties, JsonMapperBuilderCustomizer beans, a JsonMapper"
          + " bean). A setting of one (a naming strategy, modules, features) does not reach the"
          + " other: configure both alike, or remove " + PREFERRED_JSON_MAPPER);
    }
    if (!sentences.isEmpty()) {
      LOG.warn(String.join(". ", sentences));
    }
  }

  private static String beans(List<String> names) {
    return (names.size() == 1 ? " bean '" : " beans '") + String.join("', '", names) + "'";
  }

  /**
   * Whether the bean is the mapper of Spring Boot's Jackson 2 support: made by a factory method
   * of {@link #BOOTS_JACKSON2} or of a class nested in it, as its bean definition says (the factory
   * method it was made with, or the one declared for it, or the class of its factory bean, as an
   * ahead-of-time compiled definition names it).
   */
  private boolean isSpringBoots(String name) {
    if (!beanFactory.containsBeanDefinition(name)) {
      return false; // a singleton registered as an object: the application's
    }
    String declaring = null;
    if (beanFactory.getMergedBeanDefinition(name) instanceof RootBeanDefinition root
        && root.getResolvedFactoryMethod() != null) {
      declaring = root.getResolvedFactoryMethod().getDeclaringClass().getName();
    } else if (beanFactory.getBeanDefinition(name) instanceof AnnotatedBeanDefinition annotated
        && annotated.getFactoryMethodMetadata() != null) {
      declaring = annotated.getFactoryMethodMetadata().getDeclaringClassName();
    } else {
      String factoryBean = beanFactory.getBeanDefinition(name).getFactoryBeanName();
      if (factoryBean != null && beanFactory.containsBeanDefinition(factoryBean)) {
        BeanDefinition factory = beanFactory.getBeanDefinition(factoryBean);
        declaring = factory.getBeanClassName();
      }
    }
    return declaring != null && (declaring.equals(BOOTS_JACKSON2)
        || declaring.startsWith(BOOTS_JACKSON2 + "$"));
  }

  /** Whether the server reads JSON into an object with a Jackson 2 decoder. */
  private boolean jackson2Codecs(@Nullable ClassLoader classLoader) {
    ServerCodecConfigurer codecs = beanFactory.getBeanProvider(ServerCodecConfigurer.class)
        .getIfUnique();
    if (codecs == null || !ClassUtils.isPresent(JACKSON2_DECODER, classLoader)) {
      return false;
    }
    return ClassUtils.resolveClassName(JACKSON2_DECODER, classLoader)
        .isInstance(ServerJsonReader.of(codecs));
  }
}
