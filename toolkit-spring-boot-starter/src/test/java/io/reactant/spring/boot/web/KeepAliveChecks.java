package io.reactant.spring.boot.web;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
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

/**
 * Requests on one keep-alive connection over a plain socket, in the order written: for the tests
 * that a server goes on reading a connection after a request it answered before reading it whole
 * (Reactor Netty up to 1.3.7 stopped, about one time in two: reactor/reactor-netty#4361). Shared
 * with the sample's tests.
 */
public final class KeepAliveChecks {

  /** A bound on the wait for one answer on loopback, not a measure of speed. */
  private static final int ANSWER_WAIT_MILLIS = 20_000;

  private KeepAliveChecks() {
  }

  /** The bytes of a request without a body: its request line, then {@code headers}. */
  public static byte[] request(String line, String headers) {
    return (line + " HTTP/1.1\r\nHost: localhost\r\n" + headers + "\r\n").getBytes(ISO_8859_1);
  }

  /**
   * Opens {@code connections} connections one after another and on each sends {@code rounds}
   * times {@code first}, then {@code next}: after {@code first}'s answer on even rounds, with it on
   * odd ones (pipelined). Returns the answers in order, two a round (head lines and body); fails,
   * naming the request, if one does not come within 20 s or the server closes the connection.
   */
  public static List<String> exchange(int port, byte[] first, byte[] next, int connections,
      int rounds, String what) throws IOException {
    List<String> answers = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      try (Socket socket = new Socket("localhost", port)) {
        socket.setSoTimeout(ANSWER_WAIT_MILLIS);
        socket.setTcpNoDelay(true);
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        for (int round = 0; round < rounds; round++) {
          String where = what + ", connection " + c + ", round " + round;
          boolean pipelined = round % 2 == 1;
          out.write(first);
          if (pipelined) {
            out.write(next); // both in flight: the second waits behind the first's answer
          }
          out.flush();
          answers.add(answer(in, where + ", the first request"));
          if (!pipelined) {
            out.write(next);
            out.flush();
          }
          answers.add(answer(in, where + ", the request after it"));
        }
      }
    }
    return answers;
  }

  /** Reads one answer, framed by its Content-Length or chunked. */
  private static String answer(InputStream in, String where) throws IOException {
    try {
      StringBuilder answer = new StringBuilder(line(in, where)).append('\n');
      int length = 0;
      boolean chunked = false;
      for (String header = line(in, where); !header.isEmpty(); header = line(in, where)) {
        answer.append(header).append('\n');
        int colon = Math.max(0, header.indexOf(':'));
        String name = header.substring(0, colon).toLowerCase(Locale.ROOT);
        String value = header.substring(colon + 1).trim();
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
