package io.reactant.sample.security;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The demo users of the sample, from {@code application.yml} ({@code sample.users}). Their
 * passwords are in clear text: a demo only, never a production setup.
 *
 * @param users each user's name and password
 */
@ConfigurationProperties("sample")
public record DemoUsers(List<User> users) {

  public DemoUsers {
    users = users == null ? List.of() : List.copyOf(users);
  }

  /**
   * A demo user.
   *
   * @param name the user name
   * @param password the password, in clear text
   * @param roles the user's roles ({@code USER} when none is given); {@code OPERATOR} opens the
   *     actuator's endpoints but health, which list every actor and its figures
   */
  public record User(String name, String password, List<String> roles) {

    public User {
      roles = roles == null || roles.isEmpty() ? List.of("USER") : List.copyOf(roles);
    }
  }
}
