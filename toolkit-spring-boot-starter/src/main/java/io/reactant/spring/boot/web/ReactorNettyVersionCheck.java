package io.reactant.spring.boot.web;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import reactor.netty.http.server.HttpServer;

/**
 * Warns, when the first Reactor Netty server it customizes is built, if its Reactor Netty is one
 * of those that stop reading a keep-alive connection after a request answered before it is read
 * whole: from 1.3.0 to 1.3.7 (the 1.3.6 and 1.3.7 that Spring Boot 4.1.0 and 4.1.1 manage among
 * them; 4.1.2 manages 1.3.8), about one time
 * in two, the client's next request on that connection then waits until the client gives up
 * (reactor/reactor-netty#4361, fixed in 1.3.8). Spring Security's firewall answers so every
 * request it refuses (an encoded slash, a semicolon in the path), as does any filter that answers
 * at once and, without such a filter chain in front, the actor endpoints' answers that need no
 * actor (an unknown type or method, a wrong verb, {@code GET /actors}); a client keeping a pool
 * of connections sees a random request of its hang. The server is left as it is: the warning says
 * which versions to take. Thread-safe.
 */
public final class ReactorNettyVersionCheck implements NettyServerCustomizer {

  private static final Log LOG = LogFactory.getLog(ReactorNettyVersionCheck.class);

  /** 1.3.0 to 1.3.7, a qualifier after the patch number or not ({@code 1.3.7-SNAPSHOT}). */
  private static final Pattern FAULTY = Pattern.compile("1\\.3\\.[0-7](?!\\d).*");

  private final @Nullable String version;
  private final AtomicBoolean checked = new AtomicBoolean();

  /** Checks the Reactor Netty on the class path (its jar's {@code Implementation-Version}). */
  public ReactorNettyVersionCheck() {
    this(HttpServer.class.getPackage().getImplementationVersion());
  }

  ReactorNettyVersionCheck(@Nullable String version) {
    this.version = version;
  }

  @Override
  public HttpServer apply(HttpServer server) {
    if (checked.compareAndSet(false, true)) {
      String warning = warningFor(version);
      if (warning != null) {
        LOG.warn(warning);
      }
    }
    return server;
  }

  /**
   * The warning for Reactor Netty {@code version} (its jar's {@code Implementation-Version}), or
   * null for a version without the fault, or one not known (none, another line, unreadable).
   */
  static @Nullable String warningFor(@Nullable String version) {
    if (version == null || !FAULTY.matcher(version).matches()) {
      return null;
    }
    return "Reactor Netty " + version + " stops reading a keep-alive connection, about one time in"
        + " two, after a request answered before it is read whole (Spring Security's firewall"
        + " refusing it, the actor endpoints' 404 or 405, a filter answering at once): the"
        + " client's next request on that"
        + " connection then waits until the client gives up (reactor/reactor-netty#4361). Take"
        + " Reactor Netty 1.3.8 or newer: Spring Boot 4.1.2 manages it; on an older Spring Boot,"
        + " manage io.projectreactor.netty:reactor-netty-core and reactor-netty-http at 1.3.8,"
        + " with Netty 4.2.18.Final (io.netty:netty-bom), in the build's dependency management";
  }
}
