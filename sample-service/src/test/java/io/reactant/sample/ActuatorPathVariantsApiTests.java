package io.reactant.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The operator's endpoints stay closed to an anonymous caller whatever spelling of their path it
 * sends: percent-encoded letters, doubled or dot segments, matrix parameters, a trailing slash, a
 * path in upper case. Spring Security's matchers and the actuator's mapping read a path alike, or
 * the firewall refuses it first; no spelling reaches the list of actors without the role, nor
 * health's details.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ActuatorPathVariantsApiTests {

  @LocalServerPort
  int port;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/actuator/actors", "/actuator/actors/", "/%61ctuator/actors",
      "/actuator/%61ctors", "/actuator/actor%73", "//actuator/actors", "/actuator//actors",
      "/./actuator/actors", "/x/../actuator/actors", "/actuator;x=1/actors",
      "/actuator/actors;x=1", "/ACTUATOR/actors", "/Actuator/Actors", "/actuator/actors/..;/actors",
      "/actuator/health/../actors", "/actuator/health/..%2factors", "/actuator%2factors",
      "/actuator/metrics/reactant.turns", "/actuator/%6detrics", "/actuator"})
  void noSpellingOfTheOperatorsPathsOpensThemToAnAnonymousCaller(String path) throws IOException {
    String answer = send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    String status = answer.substring(0, answer.indexOf("\r\n"));
    assertThat(status).as(path).doesNotStartWith("HTTP/1.1 2");
    assertThat(answer).as(path).doesNotContain("\"actors\"").doesNotContain("\"measurements\"");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/actuator/health", "/actuator/health/", "/actuator/%68ealth",
      "/actuator/health/reactant", "/actuator/health/%72eactant", "/actuator/health/reactant/",
      "/actuator/health/diskSpace"})
  void noSpellingOfHealthShowsItsDetailsToAnAnonymousCaller(String path) throws IOException {
    String answer = send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    // the status alone, or a 404 for a component an anonymous caller is not shown
    assertThat(answer).as(path).matches("(?s)HTTP/1\\.1 (200 .*\"status\":\"UP\".*|404 .*)")
        .doesNotContain("\"details\"").doesNotContain("\"components\"")
        .doesNotContain("\"actors\"");
  }

  private String send(String request) throws IOException {
    try (Socket socket = new Socket("localhost", port)) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
