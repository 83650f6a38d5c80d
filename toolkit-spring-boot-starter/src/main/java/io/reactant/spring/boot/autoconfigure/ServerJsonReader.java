package io.reactant.spring.boot.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.core.ResolvableType;
import org.springframework.core.codec.Decoder;
import org.springframework.http.MediaType;
import org.springframework.http.codec.DecoderHttpMessageReader;
import org.springframework.http.codec.HttpMessageReader;
import org.springframework.http.codec.ServerCodecConfigurer;

/**
 * Which decoder reads a JSON request body into an object on a WebFlux server: the decoder of the
 * first of the configurer's readers that can (the one WebFlux would pick), or null when that
 * reader is no decoder's or none can. Reads the configurer's readers, which builds them: pass a
 * {@code clone()} of a configurer still being configured. Stateless.
 */
final class ServerJsonReader {

  private ServerJsonReader() {
  }

  static @Nullable Decoder<?> of(ServerCodecConfigurer configurer) {
    ResolvableType object = ResolvableType.forClass(Object.class);
    for (HttpMessageReader<?> reader : configurer.getReaders()) {
      if (reader.canRead(object, MediaType.APPLICATION_JSON)) {
        return reader instanceof DecoderHttpMessageReader<?> d ? d.getDecoder() : null;
      }
    }
    return null;
  }
}
