package io.reactant.spring.boot.web;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.core.ResolvableType;
import org.springframework.core.io.buffer.NettyDataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.util.MultiValueMap;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** The strict reader of forms, on bodies in pieces, and the buffers it is given. */
class Utf8FormReaderTests {

  private static final ResolvableType FORM =
      ResolvableType.forClassWithGenerics(MultiValueMap.class, String.class, String.class);

  private final Utf8FormReader reader = new Utf8FormReader();

  private final NettyDataBufferFactory netty =
      new NettyDataBufferFactory(UnpooledByteBufAllocator.DEFAULT);

  @Test
  @DisplayName("R23 a form read, refused as not UTF-8 or refused for a '%' that is no escape,"
      + " in UTF-8 or in a charset it names, releases every buffer it was given once, wherever"
      + " they split it (a character included): not a reference that their sender keeps")
  void everyFormReleasesItsBuffers() {
    String type = MediaType.APPLICATION_FORM_URLENCODED_VALUE;
    /** A form; {@code name}, the field it reads, or null where it is refused. */
    record Case(String type, Charset charset, String body, String name) {
    }
    for (Case c : new Case[] {
        new Case(type, UTF_8, "a=1&name=caf\u00e9+%C3%A9", "caf\u00e9 \u00e9"),
        new Case(type, UTF_8, "a=1&name=caf%FF", null),
        new Case(type, UTF_8, "a=1&name=%C3&x=%A9", null),
        new Case(type, UTF_8, "a=1&name=caf\u00e9%zz", null),
        new Case(type + ";charset=ISO-8859-1", ISO_8859_1, "a=1&name=caf\u00e9", "caf\u00e9"),
        new Case(type + ";charset=ISO-8859-1", ISO_8859_1, "a=1&name=%A", null)}) {
      byte[] body = c.body().getBytes(c.charset());
      for (int at = 1; at < body.length; at++) {
        NettyDataBuffer first = netty.wrap(Unpooled.wrappedBuffer(Arrays.copyOfRange(body, 0, at)));
        NettyDataBuffer second = netty.wrap(Unpooled.wrappedBuffer(
            Arrays.copyOfRange(body, at, body.length)));
        first.retain(); // the sender's
        second.retain();
        MockServerHttpRequest request = MockServerHttpRequest.post("/")
            .header("Content-Type", c.type()).body(Flux.just(first, second));
        StepVerifier.FirstStep<MultiValueMap<String, String>> read =
            StepVerifier.create(reader.readMono(FORM, request, Map.of()));
        if (c.name() != null) {
          read.assertNext(form -> assertThat(form.getFirst("name")).isEqualTo(c.name()))
              .verifyComplete();
        } else {
          read.expectError(NotUtf8InputException.class).verify();
        }
        assertThat(first.getNativeBuffer().refCnt()).as("%s split at %d", c, at).isOne();
        assertThat(second.getNativeBuffer().refCnt()).as("%s split at %d", c, at).isOne();
        first.release();
        second.release();
      }
    }
  }
}
