package io.reactant.sample.security;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The demo users of the sample, from {@code application.yml} ({@code sample.users}). Their
 * passwords are in clear text: a demo only, never a production setup.
 *
 * <p>A user without a name or a password, two users of one name (in any case: the name a client
 * sends matches either), or a role that is not one of {@link #ROLES} fails the startup naming the
 * property and its value: a role in lower case ({@code operator}) or misspelt would otherwise open
 * nothing, without a word (Spring Security compares roles case-sensitively).
 *
 * @param users each user's name and password
 */
@ConfigurationProperties("sample")
public record DemoUsers(List<User> users) {

  /** The roles the sample's security configuration checks, in the case it checks them. */
  public static final Set<String> ROLES = Set.of("USER", SecurityConfiguration.OPERATOR);

  public DemoUsers {
    users = users == null ? List.of() : List.copyOf(users);
    Set<String> names = new HashSet<>();
    for (User user : users) {
      if (!names.add(user.name().toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException("the user name '" + user.name() + "' is given twice"
            + " (names match in any case): give each user a name of its own");
      }
    }
  }

  /**
   * A demo user.
   *
   * @param name the user name
   * @param password the password, in clear text
   * @param roles the user's roles ({@code USER} when none is given), of {@link #ROLES}, in upper
   *     case; {@code OPERATOR} opens the actuator's endpoints but health, which list every actor
   *     and its figures
   */
  public record User(String name, String password, List<String> roles) {

    public User {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("a user needs a name");
      }
      if (password == null || password.isEmpty()) {
        throw new IllegalArgumentException("the user '" + name + "' needs a password");
      }
      roles = roles == null || roles.isEmpty() ? List.of("USER") : List.copyOf(roles);
      for (String role : roles) {
        checkRole(role, "the user '" + name + "' has the role");
      }
    }
  }

  /**
   * Checks that {@code role} is one of {@link #ROLES}.
   *
   * @param where what has the role, to begin the message with ({@code the user 'ops' has the role})
   * @throws IllegalArgumentException naming the role, the known ones and, for one in another case
   *     or with Spring Security's prefix {@code ROLE_}, the one meant
   */
  static void checkRole(String role, String where) {
    if (ROLES.contains(role)) {
      return;
    }
    String bare = role.strip();
    if (bare.regionMatches(true, 0, "ROLE_", 0, 5)) {
      bare = bare.substring(5); // Spring Security adds the prefix itself
    }
    String asWritten = bare;
    String meant = ROLES.stream().filter(r -> r.equalsIgnoreCase(asWritten)).findFirst()
        .map(r -> ": did you mean " + r + "?").orElse("");
    throw new IllegalArgumentException(where + " '" + role + "', which is not a role of the sample ("
        + ROLES.stream().sorted().collect(Collectors.joining(", ")) + ")" + meant);
  }
}
