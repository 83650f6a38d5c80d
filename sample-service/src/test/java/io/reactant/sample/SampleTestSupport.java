package io.reactant.sample;

import static org.assertj.core.api.Assertions.assertThat;

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
