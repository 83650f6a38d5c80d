package io.reactant.sample.web;

import java.nio.charset.StandardCharsets;
import io.reactant.spring.boot.web.Utf8Input;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;

/**
 * Refuses with 400 and a {@code {"message"}} body a request whose path holds a character outside
 * ASCII that is not percent-encoded (a raw {@code é}, as a client may send it). The server reads
 * the request line's bytes as ISO-8859-1, so such a character's UTF-8 bytes would reach the
 * controllers as other characters ({@code /api/counters/café/bump} bumped the counter
 * {@code cafÃ©}); and one whose percent-encoding is not UTF-8 ({@code %FF}, an overlong
 * {@code %C0%AF}), which Spring decodes to U+FFFD, so that names differing only there would name
 * one counter. The paths of the generic actor endpoints are left to them: they refuse such an
 * actor id themselves.
 */
@Configuration(proxyBeanMethods = false)
class PercentEncodedPaths {

  @Bean
  WebFilter rawCharactersInPaths(@Value("${reactant.http.base-path:/actors}") String actorsPath) {
    return (exchange, chain) -> {
      String path = exchange.getRequest().getPath().pathWithinApplication().value();
      if (path.equals(actorsPath) || path.startsWith(actorsPath + "/")) {
        return chain.filter(exchange); // the starter refuses such an actor id itself
      }
      for (int i = 0; i < path.length(); i++) {
        if (path.charAt(i) >= 0x80) {
          return refuse(exchange.getResponse(), "The path holds characters that are not"
              + " percent-encoded: percent-encode the UTF-8 bytes of each character outside ASCII"
              + " (\u00e9 is %C3%A9)");
        }
      }
      if (path.indexOf('%') >= 0 && !Utf8Input.isUtf8OncePercentDecoded(path)) {
        return refuse(exchange.getResponse(), "The path is not UTF-8 once percent-decoded:"
            + " percent-encode the UTF-8 bytes of each character (\u00e9 is %C3%A9)");
      }
      return chain.filter(exchange);
    };
  }

  private static Mono<Void> refuse(ServerHttpResponse response, String message) {
    response.setStatusCode(HttpStatus.BAD_REQUEST);
    response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
    byte[] body = ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
    return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
  }
}
