package io.reactant.sample.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * The demo users and the roles of {@code application.yml}: a role Spring Security would never
 * match (in lower case, misspelt) fails the startup with Spring Boot's report rather than open
 * nothing without a word. Each test starts an application of these properties alone, over the
 * sample's {@code application.yml} (the command line's list replaces its users).
 */
@ExtendWith(OutputCaptureExtension.class)
class DemoUsersTests {

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties({ DemoUsers.class, HealthRoles.class })
  static class Users {
  }

  @Test
  @DisplayName("the sample's application.yml binds: ops is an OPERATOR, the others USERs, and"
      + " health's details are for OPERATOR")
  void theSamplesUsersBind() {
    try (ConfigurableApplicationContext context = application().run()) {
      assertThat(context.getBean(DemoUsers.class).users())
          .extracting(DemoUsers.User::name, DemoUsers.User::roles)
          .contains(org.assertj.core.groups.Tuple.tuple("alice", List.of("USER")),
              org.assertj.core.groups.Tuple.tuple("ops", List.of("OPERATOR")));
      assertThat(context.getBean(HealthRoles.class).roles()).containsExactly("OPERATOR");
    }
  }

  @Test
  @DisplayName("roles given as a comma-separated text, with spaces after the commas, bind")
  void rolesAsACommaSeparatedTextBind() {
    try (ConfigurableApplicationContext context = application().run("--sample.users[0].name=ops",
        "--sample.users[0].password=observer", "--sample.users[0].roles=OPERATOR, USER")) {
      assertThat(context.getBean(DemoUsers.class).users().get(0).roles())
          .containsExactly("OPERATOR", "USER");
    }
  }

  @Test
  @DisplayName("a role written in lower case (operator) fails the startup with Spring Boot's report"
      + " naming the user, the role and the role meant, instead of opening nothing")
  void aRoleInLowerCaseFailsTheStartup(CapturedOutput output) {
    assertThat(startupReport(output, "--sample.users[0].name=ops",
        "--sample.users[0].password=observer", "--sample.users[0].roles[0]=operator"))
        .contains("Failed to bind properties under 'sample.users[0]'")
        .contains("the user 'ops' has the role 'operator', which is not a role of the sample"
            + " (OPERATOR, USER): did you mean OPERATOR?")
        .doesNotContain("\tat ");
  }

  @Test
  @DisplayName("a misspelt role fails the startup naming the roles there are")
  void aMisspeltRoleFailsTheStartup(CapturedOutput output) {
    assertThat(startupReport(output, "--sample.users[0].name=ops",
        "--sample.users[0].password=observer", "--sample.users[0].roles=USER,OPERATRO"))
        .contains("the user 'ops' has the role 'OPERATRO', which is not a role of the sample"
            + " (OPERATOR, USER)\n");
  }

  @Test
  @DisplayName("a role with Spring Security's prefix (ROLE_OPERATOR), which it adds itself, fails"
      + " the startup naming the role meant")
  void aRoleWithTheRolePrefixFailsTheStartup(CapturedOutput output) {
    assertThat(startupReport(output, "--sample.users[0].name=ops",
        "--sample.users[0].password=observer", "--sample.users[0].roles=ROLE_OPERATOR"))
        .contains("the user 'ops' has the role 'ROLE_OPERATOR', which is not a role of the sample"
            + " (OPERATOR, USER): did you mean OPERATOR?");
  }

  @Test
  @DisplayName("a role of health's details in lower case fails the startup naming"
      + " management.endpoint.health.roles, instead of showing the details to nobody")
  void aHealthRoleInLowerCaseFailsTheStartup(CapturedOutput output) {
    assertThat(startupReport(output, "--management.endpoint.health.roles=operator"))
        .contains("Failed to bind properties under 'management.endpoint.health'")
        .contains("management.endpoint.health.roles has the role 'operator', which is not a role"
            + " of the sample (OPERATOR, USER): did you mean OPERATOR?");
  }

  @Test
  @DisplayName("two users whose names differ in case only fail the startup: a client's name would"
      + " match either, and one would silently replace the other")
  void twoUsersOfOneNameFailTheStartup(CapturedOutput output) {
    assertThat(startupReport(output, "--sample.users[0].name=ops",
        "--sample.users[0].password=observer", "--sample.users[0].roles=OPERATOR",
        "--sample.users[1].name=Ops", "--sample.users[1].password=x"))
        .contains("the user name 'Ops' is given twice (names match in any case)");
  }

  @Test
  @DisplayName("a user without a password fails the startup naming the user")
  void aUserWithoutAPasswordFailsTheStartup(CapturedOutput output) {
    assertThat(startupReport(output, "--sample.users[0].name=ops"))
        .contains("the user 'ops' needs a password");
  }

  private static SpringApplicationBuilder application() {
    return new SpringApplicationBuilder(Users.class).web(WebApplicationType.NONE);
  }

  /** Starts an application of these properties alone and returns its failure report. */
  private static String startupReport(CapturedOutput output, String... args) {
    assertThatThrownBy(() -> application().run(args).close())
        .as("the startup with %s", List.of(args)).isNotNull();
    String report = output.getOut() + output.getErr();
    assertThat(report).contains("APPLICATION FAILED TO START");
    return report.substring(report.indexOf("APPLICATION FAILED TO START"));
  }
}
