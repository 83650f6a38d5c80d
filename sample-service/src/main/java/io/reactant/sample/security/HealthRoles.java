package io.reactant.sample.security;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Checks the roles that see health's details ({@code management.endpoint.health.roles}, which
 * Spring Boot binds too): each must be one of {@link DemoUsers#ROLES}, in its case. Spring Boot
 * compares them case-sensitively, so {@code roles: operator} would show the details to nobody,
 * without a word; it fails the startup instead, naming the property, the role and the one meant.
 *
 * @param roles the roles of {@code management.endpoint.health.roles}
 */
@ConfigurationProperties("management.endpoint.health")
public record HealthRoles(List<String> roles) {

  public HealthRoles {
    roles = roles == null ? List.of() : List.copyOf(roles);
    for (String role : roles) {
      DemoUsers.checkRole(role, "management.endpoint.health.roles has the role");
    }
  }
}
