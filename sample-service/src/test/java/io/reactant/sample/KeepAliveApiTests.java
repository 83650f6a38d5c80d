package io.reactant.sample;

import static io.reactant.spring.boot.web.KeepAliveChecks.exchange;
import static io.reactant.spring.boot.web.KeepAliveChecks.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A client's keep-alive connection goes on serving after a request that Spring Security's firewall
 * refuses: the firewall answers at once, on the thread that reads the request, before its end is
 * read, and Reactor Netty up to 1.3.7 then stopped reading the connection about one time in two
 * (reactor/reactor-netty#4361, fixed in 1.3.8, which the build takes): the client's next request
 * on it waited for ever, and a client with a pool of connections saw a random request of its hang
 * (the intermittent hang of {@code RandomInputApiTests}). The starter's own answers are checked
 * in {@code IngressKeepAliveTests}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class KeepAliveApiTests {

  @LocalServerPort
  int port;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"POST /actors/Counter/a%2Fb/bump", "POST /api/counters/a;b/bump",
      "GET /actors/Counter/a%2Fb/read", "POST /actors/Counter/a%25b/bump"})
  @DisplayName("a keep-alive connection goes on answering after the firewall refuses a request"
      + " before it is read whole, its next requests sent after the answer or with it")
  void connectionServesAfterAFirewallRefusal(String refused) throws IOException {
    List<String> answers = exchange(port, request(refused, "Content-Length: 0\r\n"),
        request("GET /api/counters/keep-alive", ""), 6, 10, refused);
    for (int i = 0; i < answers.size(); i += 2) {
      assertThat(answers.get(i)).as("a refusal").startsWith("HTTP/1.1 400 ").contains("rejected");
      assertThat(answers.get(i + 1)).as("the request after a refusal").startsWith("HTTP/1.1 200 ")
          .contains("\"value\"");
    }
  }
}
