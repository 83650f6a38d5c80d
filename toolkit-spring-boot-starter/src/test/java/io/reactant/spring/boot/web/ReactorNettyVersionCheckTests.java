package io.reactant.spring.boot.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import reactor.netty.http.server.HttpServer;

@ExtendWith(OutputCaptureExtension.class)
class ReactorNettyVersionCheckTests {

  @ParameterizedTest
  @ValueSource(strings = {"1.3.0", "1.3.6", "1.3.7", "1.3.0-M1", "1.3.7-SNAPSHOT"})
  void versionsThatStallKeepAliveConnectionsAreNamedWithTheFix(String version) {
    assertThat(ReactorNettyVersionCheck.warningFor(version))
        .startsWith("Reactor Netty " + version + " stops reading a keep-alive connection")
        .contains("reactor/reactor-netty#4361", "Spring Boot 4.1.2", "1.3.8", "4.2.18.Final");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.3.8", "1.3.9", "1.3.10", "1.3.80", "1.4.0", "1.4.0-M1", "2.0.0",
      "1.2.15", "1.3.", "1.3.x", "1.3.1234", "garbage", ""})
  void otherVersionsAndUnreadableOnesAreLeftAlone(String version) {
    assertThat(ReactorNettyVersionCheck.warningFor(version)).isNull();
  }

  @Test
  void aVersionNotKnownIsLeftAlone() {
    assertThat(ReactorNettyVersionCheck.warningFor(null)).isNull();
  }

  @Test
  void aServerOnAFaultyVersionIsLeftAsItIsWithOneWarning(CapturedOutput output) {
    ReactorNettyVersionCheck check = new ReactorNettyVersionCheck("1.3.6");
    HttpServer server = HttpServer.create();
    assertThat(check.apply(server)).isSameAs(server);
    assertThat(check.apply(server)).isSameAs(server);
    assertThat(output.getAll()).containsOnlyOnce("Reactor Netty 1.3.6 stops reading")
        .contains("WARN");
  }

  @Test
  void theBuildsReactorNettyDrawsNoWarning(CapturedOutput output) {
    assertThat(ReactorNettyVersionCheck.warningFor(
        HttpServer.class.getPackage().getImplementationVersion()))
        .as("the warning for the Reactor Netty this project builds with").isNull();
    new ReactorNettyVersionCheck().apply(HttpServer.create());
    assertThat(output.getAll()).doesNotContain("stops reading a keep-alive connection");
  }
}
