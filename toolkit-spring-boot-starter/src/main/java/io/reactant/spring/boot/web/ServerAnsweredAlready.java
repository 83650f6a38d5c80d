package io.reactant.spring.boot.web;

import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.util.ClassUtils;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Whether the server answered a request on its own while a handler read it: Reactor Netty refuses
 * a body it cannot decode part-way (a chunk size that is no number) with a 400 and closes the
 * connection, and hands the handler what it read before, as if the body had ended there. The
 * handler must then neither act on that part nor answer (Reactor Netty refuses a second answer,
 * "Status and headers already sent", which Spring logs as a 500 at each such request). Always
 * false on another server. Stateless.
 */
final class ServerAnsweredAlready {

  private static final boolean REACTOR_NETTY = ClassUtils.isPresent(
      "reactor.netty.http.server.HttpServerResponse", ServerAnsweredAlready.class.getClassLoader());

  private ServerAnsweredAlready() {
  }

  /** Whether the server has sent its own answer's head to the request of {@code response}. */
  static boolean test(ServerHttpResponse response) {
    return REACTOR_NETTY && ReactorNetty.sentHeaders(response);
  }

  /** Reactor Netty's classes, loaded only when they are present. */
  private static final class ReactorNetty {

    static boolean sentHeaders(ServerHttpResponse response) {
      Object nativeResponse;
      try {
        nativeResponse = ServerHttpResponseDecorator.getNativeResponse(response);
      } catch (IllegalArgumentException | IllegalStateException noNativeResponse) {
        return false; // a response of no server Spring knows, or a mock (WebTestClient's)
      }
      return nativeResponse instanceof HttpServerResponse netty && netty.hasSentHeaders();
    }
  }
}
