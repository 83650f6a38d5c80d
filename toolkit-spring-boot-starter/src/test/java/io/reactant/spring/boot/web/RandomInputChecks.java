package io.reactant.spring.boot.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the suites of seeded random input share ({@code ActorIngressRandomInputTests} here,
 * {@code RandomInputApiTests} of the sample service, through this module's test-jar): the seeds,
 * the collection of failures, and the checks every answer must pass (it leaks nothing of the
 * server; an error is a JSON object whose {@code message} names the problem). Stateless.
 */
public final class RandomInputChecks {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  /** Case-sensitive words no answer may hold: a Java exception, a stack frame, a source. */
  private static final List<String> LEAKS = List.of("Exception", "at io.", "\tat ", ".java",
      "java.", "com.fasterxml", "tools.jackson", "JsonReadFeature", "JsonToken",
      "StreamReadConstraints", "ALLOW_", "`", "io.reactant");
  /** A text an answer quotes in single quotes, perhaps the request's own. */
  private static final Pattern ECHO = Pattern.compile("'([^']*)'");

  private RandomInputChecks() {
  }

  /** The seeds to run: the given ones, or the one of {@code -Dreactant.random-input.seed}. */
  public static List<Long> seeds(long... defaults) {
    String chosen = System.getProperty("reactant.random-input.seed");
    if (chosen != null) {
      int dash = chosen.indexOf('-', 1);
      if (dash < 0) {
        return List.of(Long.parseLong(chosen));
      }
      // a range, first-last, for a longer run than the build's
      List<Long> range = new ArrayList<>();
      for (long s = Long.parseLong(chosen.substring(0, dash));
          s <= Long.parseLong(chosen.substring(dash + 1)); s++) {
        range.add(s);
      }
      return range;
    }
    List<Long> seeds = new ArrayList<>();
    for (long s : defaults) {
      seeds.add(s);
    }
    return seeds;
  }

  /** Runs one request's check, and notes its failure rather than stop at the first. */
  public static void check(List<String> failures, Runnable request) {
    try {
      request.run();
    } catch (AssertionError e) {
      failures.add(e.getMessage());
    }
  }

  /** Fails with every failure noted, if there is any. */
  public static void assertNoFailures(List<String> failures) {
    assertThat(failures).as("%d requests answered other than documented", failures.size())
        .isEmpty();
  }

  /** The body of an answer as text (empty for none). */
  public static String bodyText(EntityExchangeResult<byte[]> result) {
    byte[] bytes = result.getResponseBody();
    return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
  }

  /**
   * Checks that an answer's body leaks nothing of the server (the {@code ArithmeticException}
   * that names a trap of the test actors aside). What the answer quotes back of the request's own
   * body is the client's text, not the server's: a text in single quotes that {@code sent} holds
   * as it stands (Jackson's {@code Unexpected character ('`' (code 96))} or {@code Unrecognized
   * token 'W`D'} for random bytes) is left out of the check; anything else, in the same answer
   * too, is checked.
   */
  public static void assertLeaksNothing(String text, byte @Nullable [] sent, String what) {
    String server = withoutEcho(text, sent == null ? "" : new String(sent, StandardCharsets.UTF_8));
    for (String leak : LEAKS) {
      assertThat(server.replace("ArithmeticException", "")).as(what).doesNotContain(leak);
    }
    assertThat(server.toLowerCase(Locale.ROOT)).as(what).doesNotContain("jackson");
  }

  /** {@code text} without the single-quoted texts that {@code sent} holds. */
  private static String withoutEcho(String text, String sent) {
    return ECHO.matcher(text).replaceAll(m -> !m.group(1).isEmpty() && sent.contains(m.group(1))
        ? "''" : Matcher.quoteReplacement(m.group()));
  }

  /**
   * Checks an error answer's body: JSON, an object with a {@code message} that is a text, not
   * blank, shorter than 1,200 characters; a 405 names what is allowed. Returns the body.
   */
  public static JsonNode errorBody(EntityExchangeResult<byte[]> result, String text,
      String what) {
    assertThat(result.getResponseHeaders().getContentType()).as(what).isNotNull()
        .matches(t -> t.isCompatibleWith(MediaType.APPLICATION_JSON), "JSON");
    JsonNode body = JSON.readTree(text);
    assertThat(body.isObject()).as(what).isTrue();
    assertThat(body.path("message").isString()).as(what).isTrue();
    String message = body.path("message").asString();
    assertThat(message).as(what).isNotBlank();
    assertThat(message.length()).as(what).isLessThan(1_200);
    if (result.getStatus().value() == 405) {
      assertThat(result.getResponseHeaders().getAllow()).as(what).isNotEmpty();
    }
    return body;
  }

  /**
   * Checks what an error body says: a failed call's reject code (and its name), or no code for a
   * request refused before any actor saw it; and a message holding one of the fragments (any
   * message when there are none).
   */
  public static void says(JsonNode body, @Nullable Integer code, List<String> fragments,
      String what) {
    if (code != null) {
      assertThat(body.path("code").asInt()).as(what).isEqualTo(code);
      assertThat(body.path("reject").isString()).as(what).isTrue();
    } else {
      assertThat(body.has("code")).as(what).isFalse();
    }
    String message = body.path("message").asString();
    if (!fragments.isEmpty()) {
      assertThat(fragments).as(what).anyMatch(message::contains);
    }
  }

  /** The text, cut to 300 characters for a failure's description. */
  public static String shorten(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "...(" + text.length() + ")";
  }

  public static String pick(Random random, String[] options) {
    return options[random.nextInt(options.length)];
  }

  /** Random text of at most {@code max} pieces. */
  public static String text(Random random, int max, String[] pieces) {
    StringBuilder text = new StringBuilder();
    int n = random.nextInt(max + 1);
    for (int i = 0; i < n; i++) {
      text.append(pick(random, pieces));
    }
    return text.toString();
  }
}
