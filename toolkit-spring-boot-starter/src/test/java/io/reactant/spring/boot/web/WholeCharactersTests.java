package io.reactant.spring.boot.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

class WholeCharactersTests {

  private static final JsonMapper MAPPER =
      JsonMapper.builder().addModule(WholeCharacters.module()).build();

  record Opening(String owner, List<String> notes, Map<String, String> tags, String[] aliases) {
  }

  private static String refusal(String json) {
    JacksonException e = catchThrowableOfType(JacksonException.class,
        () -> MAPPER.readValue(json, Opening.class));
    assertThat(e).as("%s should be refused", json).isNotNull();
    return JsonErrorMessages.describe(e);
  }

  @Test
  @DisplayName("a string holding half of a surrogate pair, escaped, is refused where it is: a high"
      + " half alone or at the end, a low half alone, a pair reversed; in a field, a list, a map's"
      + " value, an array")
  void halfASurrogatePairIsRefusedWhereItIs() {
    assertThat(refusal("{\"owner\": \"\\uD800\"}")).isEqualTo("at 'owner': The string holds half"
        + " of a surrogate pair (\\uD800 at index 0), which is no character: escape a character"
        + " outside the BMP as its whole pair (\\uD83D\\uDE00)");
    assertThat(refusal("{\"owner\": \"ab\\uD83D\"}")).startsWith("at 'owner': ")
        .contains("(\\uD83D at index 2)");
    assertThat(refusal("{\"owner\": \"a\\uDE00b\"}")).contains("(\\uDE00 at index 1)");
    assertThat(refusal("{\"owner\": \"\\uDE00\\uD83D\"}")).contains("(\\uDE00 at index 0)");
    assertThat(refusal("{\"notes\": [\"ok\", \"\\uDBFFx\"]}")).startsWith("at 'notes.[1]': ");
    assertThat(refusal("{\"tags\": {\"k\": \"\\uDC00\"}}")).startsWith("at 'tags.k': ");
    assertThat(refusal("{\"aliases\": [\"\\uD800\"]}")).startsWith("at 'aliases.[0]': ");
  }

  @Test
  @DisplayName("whole pairs, escaped or raw, and text without surrogates read as before")
  void wholeCharactersReadAsBefore() {
    Opening opening = MAPPER.readValue("{\"owner\": \"\\uD83D\\uDE00 \uD83D\uDE00 caf\\u00e9\","
        + " \"notes\": [\"\"], \"tags\": {\"k\": \"\\uDBFF\\uDFFF\"}, \"aliases\": [\"a\"]}",
        Opening.class);
    assertThat(opening.owner()).isEqualTo("\uD83D\uDE00 \uD83D\uDE00 café");
    assertThat(opening.notes()).containsExactly("");
    assertThat(opening.tags()).containsEntry("k", "\uDBFF\uDFFF");
    assertThat(MAPPER.readValue("[\"x\", null]", new TypeReference<List<String>>() { }))
        .containsExactly("x", null);
  }

  @Test
  void halfSurrogatePairFindsTheFirstHalf() {
    assertThat(WholeCharacters.halfSurrogatePair("")).isEqualTo(-1);
    assertThat(WholeCharacters.halfSurrogatePair("a\uD83D\uDE00b")).isEqualTo(-1);
    assertThat(WholeCharacters.halfSurrogatePair("a\uD83D")).isEqualTo(1);
    assertThat(WholeCharacters.halfSurrogatePair("\uD83D\uDE00\uDE00")).isEqualTo(2);
    assertThat(WholeCharacters.halfSurrogatePair("\uD83D\uD83D\uDE00")).isEqualTo(0);
  }
}
