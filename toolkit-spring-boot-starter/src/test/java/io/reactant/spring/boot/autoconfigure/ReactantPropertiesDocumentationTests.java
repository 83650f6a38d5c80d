package io.reactant.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code reactant.*} properties as an application's developer sees them: the metadata the
 * configuration processor generates from {@link ReactantProperties} (what an IDE shows) and the
 * property table of docs/starter.md must name the same properties, with the same defaults.
 */
class ReactantPropertiesDocumentationTests {

  private static final Path STARTER_DOC = Path.of("..", "docs", "starter.md");

  @Test
  @DisplayName("docs/starter.md's property table names every reactant.* property of the metadata,"
      + " and no other, each with the metadata's default")
  void propertyTableMatchesTheMetadata() throws IOException {
    Map<String, JsonNode> metadata = reactantProperties();
    Map<String, String> table = documentedDefaults();

    assertThat(table.keySet()).containsExactlyInAnyOrderElementsOf(metadata.keySet());
    metadata.forEach((name, property) -> {
      if (property.has("defaultValue")) {
        assertThat(table.get(name)).as("the documented default of %s", name)
            .contains("`" + property.get("defaultValue").asString() + "`");
      }
    });
  }

  @Test
  @DisplayName("the metadata's descriptions are plain text: no Javadoc tag, which an IDE would show"
      + " as it is written")
  void descriptionsHoldNoJavadocTags() throws IOException {
    reactantProperties().forEach((name, property) ->
        assertThat(property.get("description").asString()).as("the description of %s", name)
            .doesNotContain("{@"));
  }

  @Test
  @DisplayName("the startup check of durations without a unit knows every duration property of the"
      + " metadata: a new one cannot be left out of its list")
  void unitlessDurationsCheckEveryDurationProperty() throws IOException {
    List<String> durations = reactantProperties().entrySet().stream()
        .filter(e -> "java.time.Duration".equals(e.getValue().get("type").asString()))
        .map(Map.Entry::getKey)
        .toList();

    assertThat(durations).isNotEmpty();
    assertThat(UnitlessDurations.PROPERTIES).containsExactlyInAnyOrderElementsOf(durations);
  }

  @Test
  @DisplayName("the startup check of values given to a group knows every group of the metadata"
      + " under reactant, and each group has the flag enabled its message suggests")
  void groupValuesCheckEveryGroup() throws IOException {
    List<String> groups = new ArrayList<>();
    try (InputStream in = ReactantPropertiesDocumentationTests.class.getResourceAsStream(
        "/META-INF/spring-configuration-metadata.json")) {
      for (JsonNode group : new JsonMapper().readTree(in).get("groups")) {
        String name = group.get("name").asString();
        if (name.startsWith("reactant.")) {
          groups.add(name);
        }
      }
    }
    assertThat(groups).isNotEmpty();
    assertThat(GroupValues.GROUPS).containsExactlyInAnyOrderElementsOf(groups);
    assertThat(reactantProperties()).containsKeys(
        GroupValues.GROUPS.stream().map(g -> g + ".enabled").toArray(String[]::new));
  }

  private static Map<String, JsonNode> reactantProperties() throws IOException {
    try (InputStream in = ReactantPropertiesDocumentationTests.class.getResourceAsStream(
        "/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("the generated configuration metadata").isNotNull();
      Map<String, JsonNode> properties = new LinkedHashMap<>();
      for (JsonNode property : new JsonMapper().readTree(in).get("properties")) {
        String name = property.get("name").asString();
        if (name.startsWith("reactant.")) {
          properties.put(name, property);
        }
      }
      return properties;
    }
  }

  /** The rows of the "Properties" table: each property's name and its default cell. */
  private static Map<String, String> documentedDefaults() throws IOException {
    List<String> lines = Files.readAllLines(STARTER_DOC, StandardCharsets.UTF_8);
    int start = lines.indexOf("## Properties");
    assertThat(start).as("docs/starter.md's Properties section").isNotNegative();
    Map<String, String> defaults = new LinkedHashMap<>();
    for (String line : lines.subList(start + 1, lines.size())) {
      if (line.startsWith("## ")) {
        break;
      }
      if (line.startsWith("| `reactant.")) {
        String[] cells = line.split(" \\| ");
        defaults.put(cells[0].substring("| `".length(), cells[0].length() - 1), cells[1]);
      }
    }
    return defaults;
  }
}
