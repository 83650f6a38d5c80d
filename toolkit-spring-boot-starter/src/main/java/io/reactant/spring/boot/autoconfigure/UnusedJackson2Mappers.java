package io.reactant.spring.boot.autoconfigure;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Warns once at startup of the application's Jackson 2 {@code ObjectMapper} beans ({@code
 * com.fasterxml.jackson.databind}), when Jackson 2 is on the classpath: the actor endpoints and
 * the starter's error bodies read and write JSON with Jackson 3's {@code JsonMapper} ({@code
 * tools.jackson}), which such a bean's naming strategy, modules and features do not reach, so a
 * customization made there would be ignored without a word. Honouring it is not offered: the two
 * versions share no configuration, and the endpoints' reading (error messages, strict checks)
 * is Jackson 3's. The starter does not depend on Jackson 2: the check looks its class up.
 */
final class UnusedJackson2Mappers implements SmartInitializingSingleton {

  static final String OBJECT_MAPPER = "com.fasterxml.jackson.databind.ObjectMapper";

  private static final Log LOG = LogFactory.getLog(UnusedJackson2Mappers.class);

  private final ConfigurableListableBeanFactory beanFactory;

  UnusedJackson2Mappers(ConfigurableListableBeanFactory beanFactory) {
    this.beanFactory = beanFactory;
  }

  @Override
  public void afterSingletonsInstantiated() {
    ClassLoader classLoader = beanFactory.getBeanClassLoader();
    if (!ClassUtils.isPresent(OBJECT_MAPPER, classLoader)) {
      return;
    }
    String[] mappers = beanFactory.getBeanNamesForType(
        ClassUtils.resolveClassName(OBJECT_MAPPER, classLoader), true, false);
    if (mappers.length == 0) {
      return;
    }
    LOG.warn("The actor endpoints and the starter's error bodies read and write JSON with"
        + " Jackson 3 (tools.jackson.databind.json.JsonMapper): the Jackson 2 "
        + OBJECT_MAPPER + (mappers.length == 1 ? " bean '" : " beans '")
        + String.join("', '", mappers) + (mappers.length == 1 ? "' does" : "' do")
        + " not configure them (its naming strategy, modules and"
        + " features are ignored there). Customize Jackson 3 instead: spring.jackson.*"
        + " properties, a JsonMapperBuilderCustomizer bean, or a JsonMapper bean");
  }
}
