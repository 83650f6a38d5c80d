package io.reactant.spring.boot.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class Utf8InputTests {

  private static int firstBad(byte... bytes) {
    return Utf8Input.firstByteNotUtf8(ByteBuffer.wrap(bytes));
  }

  @Test
  @DisplayName("UTF-8 of one to four bytes a character is accepted, after ASCII or not")
  void validUtf8IsAccepted() {
    for (String text : new String[] {"", "plain", "caf\u00e9", "\u20ac 5", "\uD83D\uDE00!",
        "\uFEFF[\"bom\"]"}) {
      assertThat(firstBad(text.getBytes(StandardCharsets.UTF_8))).as(text).isEqualTo(-1);
    }
  }

  @Test
  @DisplayName("the offset of the first byte that is no part of a UTF-8 character is found")
  void malformedUtf8IsFoundAtItsOffset() {
    assertThat(firstBad((byte) 'a', (byte) 0xC0, (byte) 0xAF, (byte) 'b')).isEqualTo(1); // overlong
    assertThat(firstBad((byte) '[', (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80))
        .isEqualTo(1); // past U+10FFFF
    assertThat(firstBad((byte) 'x', (byte) 0xED, (byte) 0xA0, (byte) 0x80))
        .isEqualTo(1); // a surrogate
    assertThat(firstBad((byte) 'x', (byte) 'y', (byte) 0xE2, (byte) 0x82))
        .isEqualTo(2); // cut short
  }

  @Test
  @DisplayName("a body in UTF-16 or UTF-32 is left to the parser")
  void utf16AndUtf32AreLeftToTheParser() {
    assertThat(firstBad("[\"\u00e9\"]".getBytes(StandardCharsets.UTF_16BE))).isEqualTo(-1);
    assertThat(firstBad("[\"\u00e9\"]".getBytes(StandardCharsets.UTF_16LE))).isEqualTo(-1);
    assertThat(firstBad("[\"\u00e9\"]".getBytes(StandardCharsets.UTF_16))).isEqualTo(-1); // BOM
  }

  @Test
  @DisplayName("the check reads from the buffer's position and leaves the buffer as it was")
  void theBufferIsReadFromItsPositionAndLeftAsItWas() {
    ByteBuffer buffer =
        ByteBuffer.wrap(new byte[] {(byte) 0xFF, 'o', 'k', (byte) 0xC0, (byte) 0xAF});
    buffer.position(1);
    assertThat(Utf8Input.firstByteNotUtf8(buffer)).isEqualTo(2);
    assertThat(buffer.position()).isEqualTo(1);
    buffer.limit(3);
    assertThat(Utf8Input.firstByteNotUtf8(buffer)).isEqualTo(-1);
  }

  @Test
  @DisplayName("a path is UTF-8 once percent-decoded unless an encoded byte breaks a character")
  void percentDecodedPathsAreChecked() {
    assertThat(Utf8Input.isUtf8OncePercentDecoded("/api/caf%C3%A9/bump")).isTrue();
    assertThat(Utf8Input.isUtf8OncePercentDecoded("/100%/x%2")).isTrue(); // a '%' as itself
    assertThat(Utf8Input.isUtf8OncePercentDecoded("/api/x%FF/bump")).isFalse();
    assertThat(Utf8Input.isUtf8OncePercentDecoded("/api/%C0%AF")).isFalse(); // overlong
    assertThat(Utf8Input.isUtf8OncePercentDecoded("/api/%ED%A0%80")).isFalse(); // surrogate
    assertThat(Utf8Input.isUtf8OncePercentDecoded("/api/caf\u00e9%C3")).isFalse(); // cut short
  }

  @Test
  @DisplayName("a '%' followed by digits of another script is read as Spring decodes it (a byte),"
      + " and a lone surrogate is no UTF-8: the check answers, it does not throw")
  void percentFollowedByOtherDigitsAndLoneSurrogatesAreAnswered() {
    // fullwidth and Arabic-Indic digits, which Character.digit (Spring's decoding) reads as hex
    assertThat(Utf8Input.isUtf8OncePercentDecoded("/api/%\uFF10\uFF10")).isTrue();
    assertThat(Utf8Input.isUtf8OncePercentDecoded("/api/%\u0661\u0662")).isTrue();
    assertThat(Utf8Input.isUtf8OncePercentDecoded("/api/x\uD800")).isFalse();
    assertThat(Utf8Input.isUtf8OncePercentDecoded("/api/\uDC00x")).isFalse();
    assertThat(Utf8Input.isUtf8OncePercentDecoded("/api/\uD83D\uDE00")).isTrue();
  }

  @Test
  @DisplayName("a character as itself after an unfinished percent-encoded one is refused")
  void aPlainCharacterCannotFinishAnEncodedOne() {
    assertThat(Utf8Input.isUtf8OncePercentDecoded("/api/%C3a")).isFalse();
    assertThat(Utf8Input.isUtf8OncePercentDecoded("/api/%E2%82\u00e9")).isFalse();
  }

  @Test
  @DisplayName("seeded random bytes: the first byte not UTF-8 is where the JDK's strict decoder"
      + " finds it, and a path is UTF-8 once percent-decoded exactly when the JDK decodes it")
  void randomInputAgreesWithTheJdkDecoder() {
    for (long seed = 1; seed <= 4; seed++) {
      Random random = new Random(seed);
      for (int n = 0; n < 2_000; n++) {
        byte[] bytes = new byte[1 + random.nextInt(12)];
        for (int i = 0; i < bytes.length; i++) {
          int kind = random.nextInt(4);
          bytes[i] = (byte) (kind == 0 ? 'a' + random.nextInt(26)
              : kind == 1 ? 0x80 + random.nextInt(0x40) : 0xC0 + random.nextInt(0x40));
        }
        bytes[0] = bytes[0] == 0 ? 1 : bytes[0]; // no UTF-16 or UTF-32 detection here
        if (bytes.length > 1 && bytes[1] == 0) {
          bytes[1] = 1;
        }
        assertThat(firstBad(bytes)).as("seed %d, %s", seed, java.util.HexFormat.of()
            .formatHex(bytes)).isEqualTo(jdkFirstBad(bytes));
        StringBuilder path = new StringBuilder("/p/");
        ByteArrayOutputStream decoded = new ByteArrayOutputStream();
        decoded.writeBytes(path.toString().getBytes(StandardCharsets.UTF_8));
        for (byte b : bytes) {
          if (random.nextInt(5) == 0) { // a character as itself
            char c = "x\u00e9\u20ac".charAt(random.nextInt(3));
            path.append(c);
            decoded.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
          }
          path.append('%').append(String.format("%02X", b & 0xFF));
          decoded.write(b);
        }
        assertThat(Utf8Input.isUtf8OncePercentDecoded(path.toString())).as("seed %d, %s", seed,
            path).isEqualTo(jdkFirstBad(decoded.toByteArray()) < 0);
      }
    }
  }

  /** Where the JDK's strict UTF-8 decoder first finds a malformed character, or -1. */
  private static int jdkFirstBad(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
      return -1;
    } catch (MalformedInputException e) {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length * 2 + 2);
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(in, out, true);
      return in.position();
    } catch (CharacterCodingException e) {
      throw new AssertionError(e);
    }
  }
}
