package io.reactant.sample;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A client's keep-alive connection goes on serving after a request that the server answers while
 * it reads it, before the request's end is read: Spring Security's firewall refuses such a
 * request at once, on the thread that reads it. Reactor Netty up to 1.3.7 then stopped reading the
 * connection about one time in two (reactor/reactor-netty#4361, fixed in 1.3.8, which the build
 * takes): the client's next request on it waited for ever, and a client with a pool of
 * connections saw a random request of its hang. Plain sockets, so that the requests go on one
 * connection, in the order written.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class KeepAliveApiTests {

  /** A bound on the wait for one answer on an idle machine's loopback, not a measure of speed. */
  private static final int ANSWER_WAIT_MILLIS = 20_000;
  private static final int CONNECTIONS = 6;
  private static final int ROUNDS = 10;

  @LocalServerPort
  int port;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"POST /actors/Counter/a%2Fb/bump", "POST /api/counters/a;b/bump",
      "GET /actors/Counter/a%2Fb/read", "POST /actors/Counter/a%25b/bump"})
  @DisplayName("a keep-alive connection goes on answering after the firewall refuses a request"
      + " before it is read whole, its next requests sent after the answer or with it")
  void connectionServesAfterAnImmediateRefusal(String refused) throws IOException {
    byte[] refusal = request(refused, "Content-Length: 0\r\n");
    byte[] next = request("GET /api/counters/keep-alive", "");
    List<String> answers = new ArrayList<>();
    for (int c = 0; c < CONNECTIONS; c++) {
      try (Socket socket = new Socket("localhost", port)) {
        socket.setSoTimeout(ANSWER_WAIT_MILLIS);
        socket.setTcpNoDelay(true);
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        for (int round = 0; round < ROUNDS; round++) {
          String where = refused + ", connection " + c + ", round " + round;
          boolean pipelined = round % 2 == 1;
          out.write(refusal);
          if (pipelined) {
            out.write(next); // both in flight: the second waits behind the first's answer
          }
          out.flush();
          answers.add(answer(in, where + ", the refusal"));
          if (!pipelined) {
            out.write(next);
            out.flush();
          }
          answers.add(answer(in, where + ", the request after it"));
        }
      }
    }
    for (int i = 0; i < answers.size(); i += 2) {
      assertThat(answers.get(i)).as("a refusal").startsWith("HTTP/1.1 400 ").contains("rejected");
      assertThat(answers.get(i + 1)).as("the request after a refusal").startsWith("HTTP/1.1 200 ")
          .contains("\"value\"");
    }
  }

  private static byte[] request(String line, String headers) {
    return (line + " HTTP/1.1\r\nHost: localhost\r\n" + headers + "\r\n").getBytes(ISO_8859_1);
  }

  /** Reads one answer, framed by its Content-Length or chunked; fails if none comes. */
  private static String answer(InputStream in, String where) throws IOException {
    try {
      String head = line(in, where);
      StringBuilder answer = new StringBuilder(head).append('\n');
      int length = 0;
      boolean chunked = false;
      for (String header = line(in, where); !header.isEmpty(); header = line(in, where)) {
        answer.append(header).append('\n');
        String name = header.substring(0, Math.max(0, header.indexOf(':')))
            .toLowerCase(Locale.ROOT);
        String value = header.substring(header.indexOf(':') + 1).trim();
        if (name.equals("content-length")) {
          length = Integer.parseInt(value);
        } else if (name.equals("transfer-encoding")) {
          chunked = value.equalsIgnoreCase("chunked");
        }
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      if (chunked) {
        for (int size = Integer.parseInt(line(in, where).trim(), 16); size > 0;
            size = Integer.parseInt(line(in, where).trim(), 16)) {
          body.writeBytes(in.readNBytes(size));
          line(in, where);
        }
        line(in, where);
      } else {
        body.writeBytes(in.readNBytes(length));
      }
      return answer.append('\n').append(body.toString(UTF_8)).toString();
    } catch (SocketTimeoutException e) {
      return fail(where + ": no answer within " + ANSWER_WAIT_MILLIS + " ms: the server stopped"
          + " reading the connection", e);
    }
  }

  private static String line(InputStream in, String where) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        return fail(where + ": the server closed the connection after " + line);
      }
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }
}
