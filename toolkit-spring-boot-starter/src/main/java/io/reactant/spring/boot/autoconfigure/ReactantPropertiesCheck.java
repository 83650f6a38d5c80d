package io.reactant.spring.boot.autoconfigure;

import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Fails the startup, before any bean is created, on a {@code reactant.*} property that would
 * otherwise be silently wrong: one that names no setting of {@link ReactantProperties} (a typo,
 * {@code reactant.paralelism}), reported by Spring Boot's failure analysis with its name, value and
 * origin, a duration without a unit ({@link UnitlessDurations}) and a value given to a group of
 * settings ({@link GroupValues}). The names are checked in the
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
    GroupValues.check(environment);
    // as Spring Boot binds @ConfigurationProperties: a property named reactant itself (an
    // environment variable REACTANT) is no value of the properties, it is left alone
    Binder.get(environment).bind("reactant", Bindable.of(ReactantProperties.class)
        .withBindRestrictions(Bindable.BindRestriction.NO_DIRECT_PROPERTY), new UnknownNames());
  }

  /**
   * Spring Boot's check of names that bound nothing, where a setting given an empty value
   * ({@code reactant.parallelism=}, which binds as no value: the default stays) counts as bound:
   * it names a setting, and is no typo.
   */
  private static final class UnknownNames extends NoUnboundElementsBindHandler {

    UnknownNames() {
      super(BindHandler.DEFAULT, ReactantPropertiesCheck::checked);
    }

    @Override
    public void onFinish(ConfigurationPropertyName name, Bindable<?> target, BindContext context,
        @Nullable Object result) throws Exception {
      if (result == null && context.getConfigurationProperty() != null) {
        onSuccess(name, target, context, context.getConfigurationProperty().getValue());
      }
      super.onFinish(name, target, context, result);
    }
  }

  private static boolean checked(ConfigurationPropertySource source) {
    return !(source.getUnderlyingSource() instanceof PropertySource<?> p
        && SHARED.contains(p.getName()));
  }
}
