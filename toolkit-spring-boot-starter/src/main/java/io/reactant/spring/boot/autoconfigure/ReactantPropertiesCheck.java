package io.reactant.spring.boot.autoconfigure;

import java.util.Set;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Fails the startup, before any bean is created, on a {@code reactant.*} property that would
 * otherwise be silently wrong: one that names no setting of {@link ReactantProperties} (a typo,
 * {@code reactant.paralelism}), reported by Spring Boot's failure analysis with its name, value and
 * origin, and a duration without a unit ({@link UnitlessDurations}). The names are checked in the
 * application's own sources (its files, the command line, a test's properties), not in the system
 * properties and environment variables, which other tools share (a {@code REACTANT_HOME} variable
 * reads as {@code reactant.home}).
 */
final class ReactantPropertiesCheck implements BeanFactoryPostProcessor, EnvironmentAware {

  private static final Set<String> SHARED = Set.of(
      StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
      StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);

  private Environment environment;

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    if (environment == null) {
      return;
    }
    UnitlessDurations.check(environment);
    Binder.get(environment).bind("reactant", Bindable.of(ReactantProperties.class),
        new NoUnboundElementsBindHandler(BindHandler.DEFAULT, ReactantPropertiesCheck::checked));
  }

  private static boolean checked(ConfigurationPropertySource source) {
    return !(source.getUnderlyingSource() instanceof PropertySource<?> p
        && SHARED.contains(p.getName()));
  }
}
