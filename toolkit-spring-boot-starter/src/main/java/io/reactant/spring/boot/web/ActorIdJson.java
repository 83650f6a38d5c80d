package io.reactant.spring.boot.web;

import io.reactant.actor.ActorId;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.deser.std.StdDeserializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * Actor ids in the JSON of the HTTP ingress: as their text, Candid's {@code principal}, both ways
 * ({@link ActorId} is no bean: Jackson would write {@code {}} and read nothing). A blank id is
 * refused, as everywhere else.
 */
final class ActorIdJson {

  private ActorIdJson() {
  }

  /** The module that writes and reads actor ids as strings. */
  static SimpleModule module() {
    return new SimpleModule("reactant-actor-ids")
        .addSerializer(ActorId.class, new Writer())
        .addDeserializer(ActorId.class, new Reader());
  }

  private static final class Writer extends StdSerializer<ActorId> {

    Writer() {
      super(ActorId.class);
    }

    @Override
    public void serialize(ActorId id, JsonGenerator generator, SerializationContext context) {
      generator.writeString(id.value());
    }
  }

  private static final class Reader extends StdDeserializer<ActorId> {

    Reader() {
      super(ActorId.class);
    }

    @Override
    public ActorId deserialize(JsonParser p, DeserializationContext context) {
      if (!p.hasToken(JsonToken.VALUE_STRING)) {
        return (ActorId) context.handleUnexpectedToken(ActorId.class, p);
      }
      String text = p.getString();
      if (text.isBlank()) {
        return (ActorId) context.reportInputMismatch(ActorId.class, "An actor id must not be blank");
      }
      return ActorId.of(text);
    }
  }
}
