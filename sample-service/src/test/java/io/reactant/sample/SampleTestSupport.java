package io.reactant.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec;
import org.springframework.web.reactive.function.client.WebClient;

/** Requests and assertions shared by the sample's integration tests. */
public final class SampleTestSupport {

  private SampleTestSupport() {
  }

  /** Posts a JSON body. */
  public static ResponseSpec postJson(WebTestClient client, String path, String json) {
    return client.post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue(json).exchange();
  }

  /** Posts a JSON body as an authenticated demo user. */
  public static ResponseSpec postJsonAs(WebTestClient client, String user, String password,
      String path, String json) {
    return client.post().uri(path).headers(h -> h.setBasicAuth(user, password))
        .contentType(MediaType.APPLICATION_JSON).bodyValue(json).exchange();
  }

  /** Expects an error body with a message that contains the given text. */
  public static void expectMessage(ResponseSpec response, HttpStatus status, String text) {
    response.expectStatus().isEqualTo(status)
        .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
        .expectBody().jsonPath("$.message").value(String.class, m -> assertThat(m).contains(text));
  }

  /**
   * Sends raw bytes (ISO-8859-1) to the server on {@code port}, reads all it answers until it
   * closes the connection (for at most 30 seconds of silence), and checks the status and the JSON
   * {@code message}: for the requests an HTTP client would not send, or whose refusal (the server
   * answers and closes the connection) a pooling client may race.
   */
  public static void expectRawAnswer(int port, String request, int status, String message)
      throws IOException {
    String answer;
    try (Socket socket = new Socket("localhost", port)) {
      socket.setSoTimeout(30_000); // a server that never answers fails the test, not hangs it
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
    int headersEnd = answer.indexOf("\r\n\r\n");
    assertThat(headersEnd).as(answer).isPositive();
    String head = answer.substring(0, headersEnd).toLowerCase(Locale.ROOT);
    assertThat(head).startsWith("http/1.1 " + status + " ")
        .contains("content-type: application/json");
    assertThat(answer.substring(headersEnd + 4)).isEqualTo("{\"message\":\"" + message + "\"}");
  }

  /** Expects a failed actor call: the status of its code, {@code code}, {@code reject}, message. */
  public static void expectReject(ResponseSpec response, HttpStatus status, int code,
      String reject, String text) {
    response.expectStatus().isEqualTo(status)
        .expectBody()
        .jsonPath("$.code").isEqualTo(code)
        .jsonPath("$.reject").isEqualTo(reject)
        .jsonPath("$.message").value(String.class, m -> assertThat(m).contains(text));
  }

  /** A non-blocking client of the running service, to send many requests at once. */
  public static WebClient concurrentClient(int port) {
    return WebClient.builder().baseUrl("http://localhost:" + port).build();
  }

  /** A JSON string of the given size in bytes, over any body limit of the sample. */
  public static String oversizedJsonString(int bytes) {
    return "\"" + "x".repeat(bytes) + "\"";
  }
}
