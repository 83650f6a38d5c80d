package io.reactant.sample.web;

import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.accept.HeaderContentTypeResolver;
import org.springframework.web.reactive.accept.RequestedContentTypeResolver;
import org.springframework.web.reactive.accept.RequestedContentTypeResolverBuilder;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.ServerWebExchange;

/**
 * Makes the controllers' content negotiation read {@code q=0} as "not acceptable" (RFC 9110
 * 12.4.2), as the generic actor endpoints do: Spring's reads the {@code Accept} header's media
 * types without their quality, so {@code Accept: application/json;q=0} got a 200 in JSON (after the
 * call ran). A media range of quality 0 is dropped; a header of nothing else answers 406 with the
 * JSON message of the other 406s (the starter's {@code reactant.http.error-bodies}), before the
 * controller runs. As on the generic endpoints, a range of quality 0 does not take away what
 * another range admits: {@code application/json;q=0, *}{@code /*} still admits JSON.
 */
@Configuration(proxyBeanMethods = false)
class AcceptQualityZero {

  @Bean
  WebFluxConfigurer acceptQualityZeroIsNotAcceptable() {
    return new WebFluxConfigurer() {
      @Override
      public void configureContentTypeResolver(RequestedContentTypeResolverBuilder builder) {
        builder.resolver(new AcceptableMediaTypes());
      }
    };
  }

  /** The {@code Accept} header's media types of a quality above 0. Stateless, thread-safe. */
  static final class AcceptableMediaTypes implements RequestedContentTypeResolver {

    private final HeaderContentTypeResolver header = new HeaderContentTypeResolver();

    @Override
    public List<MediaType> resolveMediaTypes(ServerWebExchange exchange) {
      List<MediaType> accepted = header.resolveMediaTypes(exchange); // 406 if not media types
      if (accepted.stream().allMatch(type -> type.getQualityValue() > 0)) {
        return accepted;
      }
      List<MediaType> acceptable =
          accepted.stream().filter(type -> type.getQualityValue() > 0).toList();
      if (acceptable.isEmpty()) {
        throw new NotAcceptableStatusException(List.of(MediaType.APPLICATION_JSON));
      }
      return acceptable;
    }
  }
}
