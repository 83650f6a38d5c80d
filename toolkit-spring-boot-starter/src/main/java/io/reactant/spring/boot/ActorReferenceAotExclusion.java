package io.reactant.spring.boot;

import org.springframework.beans.factory.aot.BeanRegistrationExcludeFilter;
import org.springframework.beans.factory.support.RegisteredBean;

/**
 * Leaves the beans of singletons' references out of the code Spring AOT generates: such a bean
 * is made by a supplier, which AOT cannot write as code, and the {@link ActorBeanRegistrar}, a
 * bean of the generated code too, registers it again when the application starts from that code
 * (as it declares the actors again). Registered in {@code META-INF/spring/aot.factories}.
 */
final class ActorReferenceAotExclusion implements BeanRegistrationExcludeFilter {

  @Override
  public boolean isExcludedFromAotProcessing(RegisteredBean registeredBean) {
    return registeredBean.getMergedBeanDefinition()
        .getAttribute(ActorBeanRegistrar.REFERENCE) instanceof ActorDeclaration;
  }
}
