package io.reactant.sample.web;

import java.nio.charset.StandardCharsets;
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
 * ASCII that is not percent-encoded (a raw {@code é}, as curl sends it). The server reads the
 * request line's bytes as ISO-8859-1, so such a character's UTF-8 bytes would reach the
 * controllers as other characters ({@code /api/counters/café/bump} bumped the counter
 * {@code cafÃ©}). The paths of the generic actor endpoints are left to them: they refuse such an
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
          return refuse(exchange.getResponse());
        }
      }
      return chain.filter(exchange);
    };
  }

  private static Mono<Void> refuse(ServerHttpResponse response) {
    response.setStatusCode(HttpStatus.BAD_REQUEST);
    response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
    byte[] body = ("{\"message\":\"The path holds characters that are not percent-encoded:"
        + " percent-encode the UTF-8 bytes of each character outside ASCII (\u00e9 is %C3%A9)\"}")
        .getBytes(StandardCharsets.UTF_8);
    return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
  }
}
