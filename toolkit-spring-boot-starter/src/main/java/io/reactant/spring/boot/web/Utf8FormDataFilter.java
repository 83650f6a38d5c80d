package io.reactant.spring.boot.web;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.charset.Charset;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;
import org.springframework.core.codec.Hints;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.codec.multipart.FilePart;
import org.springframework.http.codec.multipart.FormFieldPart;
import org.springframework.http.codec.multipart.Part;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Gives a request with a form body ({@code application/x-www-form-urlencoded}) an exchange whose
 * {@link ServerWebExchange#getFormData()} (so {@code @ModelAttribute} and a functional route's
 * {@code formData()}) reads the form with the {@link Utf8FormReader}, which refuses one that is not
 * UTF-8 with a 400. Spring's exchange reads it with the last of the server's readers that can
 * (Spring's own, after those an application adds), so registering the reader alone does not reach
 * it. A form is what Spring's exchange reads as one (its {@code Content-Type} parsed as Spring
 * parses it, which caches the types it has seen). A multipart request ({@code multipart/form-data})
 * gets an exchange whose {@link ServerWebExchange#getMultipartData()} (so {@code @RequestPart} and
 * {@code @ModelAttribute}) refuses with a 400 a part whose name, or whose text in UTF-8 (its {@code
 * Content-Type}'s charset, or none), holds U+FFFD: Spring's reader decodes them before anything
 * else sees their bytes, each malformed byte to U+FFFD, so that character stands for bytes that
 * were not UTF-8 (one the client sent as such is refused with them); so is a text in a charset its
 * {@code Content-Type} names that has no U+FFFD (windows-1252), where it stands for bytes that are
 * no character there; and a file part whose file name ({@link FilePart#filename()}) is not text: it
 * holds U+FFFD, for bytes that were not UTF-8, or a control character. A file part's bytes, binary,
 * are not read, and path separators in its file name, which Spring leaves as sent, are the
 * application's to judge. A part whose headers Spring's reader cannot read (a {@code filename*}
 * with a {@code %} that is no escape, or in a charset other than UTF-8 and ISO-8859-1), on which it
 * throws (a 500), is refused with 400 too. A form or a multipart request with a {@code
 * Content-Type} that does not parse (a charset Java does not know), which Spring's exchange reads
 * as no fields, is refused with 415 when read. Other requests pass as they are. It runs first
 * ({@link Ordered#HIGHEST_PRECEDENCE}), so that every filter after it (Spring Security's, which
 * reads a form's CSRF token) reads the form as the handlers do, once. Installed by {@code
 * reactant.http.strict-input.enabled}; stateless and thread-safe.
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
    HttpHeaders headers = exchange.getRequest().getHeaders();
    MediaType type;
    try {
      type = headers.getContentType();
    } catch (InvalidMediaTypeException notParsed) {
      String named = typeNamed(headers.getFirst(HttpHeaders.CONTENT_TYPE));
      if (named.equalsIgnoreCase(MediaType.APPLICATION_FORM_URLENCODED_VALUE)) {
        return chain.filter(
            FormDataExchange.withForm(exchange, Mono.error(notParsed("form", notParsed))));
      }
      return named.equalsIgnoreCase(MediaType.MULTIPART_FORM_DATA_VALUE)
          ? chain.filter(FormDataExchange.withParts(exchange,
              Mono.error(notParsed("multipart body", notParsed))))
          : chain.filter(exchange);
    }
    if (type != null && MediaType.MULTIPART_FORM_DATA.isCompatibleWith(type)) {
      return chain.filter(FormDataExchange.withParts(exchange, exchange.getMultipartData()
          .onErrorMap(IllegalArgumentException.class, e -> NotUtf8InputException.partHeaders())
          .flatMap(Utf8FormDataFilter::checked).cache()));
    }
    if (type == null || !type.isConcrete()
        || !type.isCompatibleWith(MediaType.APPLICATION_FORM_URLENCODED)) {
      return chain.filter(exchange); // no form to Spring's exchange: other types as they are
    }
    return chain.filter(FormDataExchange.withForm(exchange,
        reader.readMono(FORM_DATA, exchange.getRequest(),
            Hints.from(Hints.LOG_PREFIX_HINT, exchange.getLogPrefix()))
        .switchIfEmpty(Mono.fromSupplier(LinkedMultiValueMap::new)).cache()));
  }

  /** The refusal of a {@code body} (a form, a multipart body) whose Content-Type does not parse. */
  private static UnsupportedMediaTypeStatusException notParsed(String body,
      InvalidMediaTypeException notParsed) {
    return new UnsupportedMediaTypeStatusException("The " + body + "'s Content-Type is not a media"
        + " type, or names a charset this server does not know: " + notParsed.getMessage());
  }

  /**
   * The type a {@code Content-Type} that does not parse names, before its parameters: where it is
   * a form's, Spring's exchange reads no form then (its fields would be silently lost), so strict
   * input refuses it.
   */
  private static String typeNamed(@Nullable String contentType) {
    if (contentType == null) {
      return "";
    }
    int parameters = contentType.indexOf(';');
    return (parameters < 0 ? contentType : contentType.substring(0, parameters)).trim();
  }

  /**
   * The parts, unless a part's name, or a text part in UTF-8, holds U+FFFD, or a file name is not
   * text (see above).
   */
  private static Mono<MultiValueMap<String, Part>> checked(MultiValueMap<String, Part> parts) {
    for (Map.Entry<String, List<Part>> named : parts.entrySet()) {
      if (named.getKey().indexOf('\uFFFD') >= 0) {
        return Mono.error(NotUtf8InputException.part());
      }
      for (Part part : named.getValue()) {
        if (part instanceof FilePart file && !isText(file.filename())) {
          return Mono.error(NotUtf8InputException.fileName());
        }
        if (part instanceof FormFieldPart text && text.value().indexOf('\uFFFD') >= 0
            && standsForBytes(text.headers().getContentType())) {
          return Mono.error(NotUtf8InputException.part());
        }
      }
    }
    return Mono.just(parts);
  }

  /**
   * Whether a file name is text: no U+FFFD (Spring's reader decodes the part's headers as UTF-8,
   * and a {@code filename*} as the charset it names, each malformed byte to U+FFFD) and no control
   * character ({@code filename*=UTF-8''a%0Ab} is the name "a\nb" to Spring). Path separators and
   * dot segments, which Spring leaves in it as sent, are the application's to judge.
   */
  private static boolean isText(String fileName) {
    for (int i = 0; i < fileName.length(); i++) {
      char c = fileName.charAt(i);
      if (c == '\uFFFD' || Character.isISOControl(c)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether a U+FFFD in a text part of this type stands for bytes that were no character in its
   * charset: in UTF-8 (the default), where one sent as such is refused with them, and in a
   * charset that has no such character (windows-1252, US-ASCII), where Spring's decoding put it.
   */
  private static boolean standsForBytes(@Nullable MediaType type) {
    Charset charset = type == null || type.getCharset() == null ? UTF_8 : type.getCharset();
    return UTF_8.equals(charset) || !charset.canEncode()
        || !charset.newEncoder().canEncode('\uFFFD');
  }
}
