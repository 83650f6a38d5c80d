package io.reactant.spring.boot.web;

import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;
import org.springframework.core.codec.Hints;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebExchangeDecorator;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Gives a request with a form body ({@code application/x-www-form-urlencoded}) an exchange whose
 * {@link ServerWebExchange#getFormData()} (so {@code @ModelAttribute} and a functional route's
 * {@code formData()}) reads the form with the {@link Utf8FormReader}, which refuses one that is
 * not UTF-8 with a 400. Spring's exchange reads it with the last of the server's readers that can
 * (Spring's own, after those an application adds), so registering the reader alone does not
 * reach it. A form is what Spring's exchange reads as one (its {@code Content-Type} parsed as
 * Spring parses it, which caches the types it has seen); other requests pass as they are. It
 * runs first ({@link Ordered#HIGHEST_PRECEDENCE}), so that every filter after it (Spring
 * Security's, which reads a form's CSRF token) reads the form as the handlers do, once.
 * Installed by {@code reactant.http.strict-input.enabled}; stateless and thread-safe.
 */
public final class Utf8FormDataFilter implements WebFilter, Ordered {

  private static final ResolvableType FORM_DATA =
      ResolvableType.forClassWithGenerics(MultiValueMap.class, String.class, String.class);

  private final Utf8FormReader reader;

  /** Creates the filter; {@code reader} reads the forms (with the server's limit of a body). */
  public Utf8FormDataFilter(Utf8FormReader reader) {
    this.reader = reader;
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    if (!isForm(exchange.getRequest().getHeaders())) {
      return chain.filter(exchange);
    }
    return chain.filter(new StrictForm(exchange, reader.readMono(FORM_DATA, exchange.getRequest(),
        Hints.from(Hints.LOG_PREFIX_HINT, exchange.getLogPrefix()))
        .switchIfEmpty(Mono.fromSupplier(LinkedMultiValueMap::new)).cache()));
  }

  /**
   * Whether Spring's exchange reads the body as a form: its {@code Content-Type} parses (Spring
   * reads no form where it does not, a charset Java does not know included) to a concrete type
   * compatible with a form's, with parameters or not (no other type).
   */
  private static boolean isForm(HttpHeaders headers) {
    try {
      MediaType type = headers.getContentType();
      return type != null && type.isConcrete()
          && type.isCompatibleWith(MediaType.APPLICATION_FORM_URLENCODED);
    } catch (InvalidMediaTypeException notParsed) {
      return false;
    }
  }

  /** The exchange, whose form is read strictly, once, when first asked for. */
  private static final class StrictForm extends ServerWebExchangeDecorator {

    private final Mono<MultiValueMap<String, String>> formData;

    StrictForm(ServerWebExchange exchange, Mono<MultiValueMap<String, String>> formData) {
      super(exchange);
      this.formData = formData;
    }

    @Override
    public Mono<MultiValueMap<String, String>> getFormData() {
      return formData;
    }
  }
}
