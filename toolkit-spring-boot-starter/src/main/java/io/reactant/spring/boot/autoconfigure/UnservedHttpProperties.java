package io.reactant.spring.boot.autoconfigure;

import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;

/**
 * Warns once at startup of a servlet web application (Spring MVC) that sets {@code
 * reactant.http.*} properties: the actor endpoints, strict input and the error bodies are served
 * only in a reactive web application (Spring WebFlux), so here none of them is, and without a word
 * the properties would look applied. The warning names them (from every property source, once
 * each, with the value that counts), save those set to {@code false}, which turn off what a
 * servlet application lacks anyway. It is a warning, not a failure: as Spring Boot leaves alone
 * its own properties of a kind of application that this one is not, the application starts, its
 * actors reachable from Java.
 */
final class UnservedHttpProperties implements SmartInitializingSingleton {

  private static final ConfigurationPropertyName HTTP = ConfigurationPropertyName.of(
      "reactant.http");

  private static final Log LOG = LogFactory.getLog(UnservedHttpProperties.class);

  private final Environment environment;

  UnservedHttpProperties(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void afterSingletonsInstantiated() {
    Set<String> set = new TreeSet<>();
    Set<ConfigurationPropertyName> seen = new HashSet<>();
    // the sources in the environment's order: the first that has a name gives its value
    for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
      if (source instanceof IterableConfigurationPropertySource names) {
        names.filter(HTTP::isAncestorOf).filter(seen::add).forEach(name -> {
          ConfigurationProperty property = source.getConfigurationProperty(name);
          if (property != null && !"false".equalsIgnoreCase(String.valueOf(property.getValue())
              .strip())) {
            set.add(name.toString());
          }
        });
      }
    }
    if (set.isEmpty()) {
      return;
    }
    LOG.warn("The starter serves the actor endpoints, strict input and the error bodies only in a"
        + " reactive web application (Spring WebFlux), and this is a servlet web application"
        + " (Spring MVC): " + String.join(", ", set) + (set.size() == 1 ? " is" : " are")
        + " set, and none of it applies (no actor endpoint is exposed; the actors are reachable"
        + " from Java alone). Serve them with WebFlux (spring-boot-starter-webflux instead of"
        + " spring-boot-starter-web, or spring.main.web-application-type=reactive where both are"
        + " present), or remove the reactant.http.* properties");
  }
}
