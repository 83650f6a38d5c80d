package io.reactant.spring.boot.web;

import org.springframework.http.codec.multipart.Part;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebExchangeDecorator;
import reactor.core.publisher.Mono;

/**
 * An exchange whose form and parts ({@link #getFormData()}, {@link #getMultipartData()}) are the
 * given ones, read as a filter of the starter reads them; the rest is the exchange's.
 */
final class FormDataExchange extends ServerWebExchangeDecorator {

  private final Mono<MultiValueMap<String, String>> form;
  private final Mono<MultiValueMap<String, Part>> parts;

  FormDataExchange(ServerWebExchange exchange, Mono<MultiValueMap<String, String>> form,
      Mono<MultiValueMap<String, Part>> parts) {
    super(exchange);
    this.form = form;
    this.parts = parts;
  }

  /** The exchange with {@code form} as its form. */
  static FormDataExchange withForm(ServerWebExchange exchange,
      Mono<MultiValueMap<String, String>> form) {
    return new FormDataExchange(exchange, form, exchange.getMultipartData());
  }

  /** The exchange with {@code parts} as its parts. */
  static FormDataExchange withParts(ServerWebExchange exchange,
      Mono<MultiValueMap<String, Part>> parts) {
    return new FormDataExchange(exchange, exchange.getFormData(), parts);
  }

  @Override
  public Mono<MultiValueMap<String, String>> getFormData() {
    return form;
  }

  @Override
  public Mono<MultiValueMap<String, Part>> getMultipartData() {
    return parts;
  }
}
