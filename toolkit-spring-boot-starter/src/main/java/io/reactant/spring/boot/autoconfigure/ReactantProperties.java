package io.reactant.spring.boot.autoconfigure;

import io.reactant.scheduler.WorkStealingScheduler;
import io.reactant.spring.boot.web.IngressSettings;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties of Reactant, under {@code reactant.*}.
 */
@ConfigurationProperties("reactant")
public class ReactantProperties {

  /**
   * Name of the actor system, used in thread names, metrics and error messages.
   */
  private String name = "reactant";

  /**
   * Number of threads that execute the actors' turns, at most 32767. By default, one per
   * available processor.
   */
  private @Nullable Integer parallelism;

  /**
   * Maximum number of turns an actor executes each time it gets a thread, before it yields the
   * thread to other actors (a fairness knob). By default, the runtime's: 32.
   */
  private @Nullable Integer turnsPerScheduling;

  /**
   * Maximum number of messages waiting in an actor's mailbox; further calls are refused with
   * reject code 2 (SYS_TRANSIENT, HTTP 503), whoever sends them. Unbounded when unset.
   */
  private @Nullable Integer mailboxCapacity;

  /**
   * Maximum number of actors the system holds. Actors are never removed, so past it a call that
   * would activate a new virtual actor (for example an HTTP call naming a new id) is refused with
   * reject code 2 (SYS_TRANSIENT, HTTP 503), and so is a spawn. No bound of its own when unset.
   */
  private @Nullable Integer maxActors;

  /**
   * How long a call waits for its reply before it fails with reject code 6 (SYS_UNKNOWN, HTTP
   * 504), while the callee may still run it; for every call, from HTTP, from Java or from another
   * actor, that sets no timeout of its own, a query included (from the end of its synchronous
   * part; it is then cancelled). Unbounded when unset. Written with a unit (10s, 500ms).
   */
  private @Nullable Duration defaultCallTimeout;

  /**
   * How long the shutdown lets the work under way run (queued messages, running turns, calls
   * suspended at an await, and the calls they send) before it closes the actor system: calls still
   * queued are then answered with reject code 2 (SYS_TRANSIENT), and calls still suspended at an
   * await with code 6 (SYS_UNKNOWN). Written with a unit (30s); 0 closes at once.
   */
  private Duration shutdownGracePeriod = Duration.ofSeconds(30);

  /**
   * How long a turn may hold a thread of the actor pool before it is reported (logged as a warning
   * with the thread's stack, and counted in the reactant.turns.long metric); 0 turns the reports
   * off. Written with a unit (2s, 500ms).
   */
  private Duration longTurnWarning = Duration.ofSeconds(2);

  private final Http http = new Http();

  private final ContextPropagation contextPropagation = new ContextPropagation();

  public String getName() {
    return name;
  }

  public void setName(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("reactant.name must not be blank");
    }
    this.name = name;
  }

  public @Nullable Integer getParallelism() {
    return parallelism;
  }

  public void setParallelism(@Nullable Integer parallelism) {
    if (parallelism != null && parallelism < 1) {
      throw new IllegalArgumentException("reactant.parallelism must be at least 1, was "
          + parallelism);
    }
    if (parallelism != null && parallelism > WorkStealingScheduler.MAX_PARALLELISM) {
      throw new IllegalArgumentException("reactant.parallelism must be at most "
          + WorkStealingScheduler.MAX_PARALLELISM + ", was " + parallelism);
    }
    this.parallelism = parallelism;
  }

  public @Nullable Integer getTurnsPerScheduling() {
    return turnsPerScheduling;
  }

  public void setTurnsPerScheduling(@Nullable Integer turnsPerScheduling) {
    if (turnsPerScheduling != null && turnsPerScheduling < 1) {
      throw new IllegalArgumentException("reactant.turns-per-scheduling must be at least 1, was "
          + turnsPerScheduling);
    }
    this.turnsPerScheduling = turnsPerScheduling;
  }

  public @Nullable Integer getMailboxCapacity() {
    return mailboxCapacity;
  }

  public void setMailboxCapacity(@Nullable Integer mailboxCapacity) {
    if (mailboxCapacity != null && mailboxCapacity < 1) {
      throw new IllegalArgumentException("reactant.mailbox-capacity must be at least 1, was "
          + mailboxCapacity);
    }
    this.mailboxCapacity = mailboxCapacity;
  }

  public @Nullable Integer getMaxActors() {
    return maxActors;
  }

  public void setMaxActors(@Nullable Integer maxActors) {
    if (maxActors != null && maxActors < 1) {
      throw new IllegalArgumentException("reactant.max-actors must be at least 1, was " + maxActors);
    }
    this.maxActors = maxActors;
  }

  public @Nullable Duration getDefaultCallTimeout() {
    return defaultCallTimeout;
  }

  public void setDefaultCallTimeout(@Nullable Duration defaultCallTimeout) {
    if (defaultCallTimeout != null && (defaultCallTimeout.isNegative() || defaultCallTimeout.isZero())) {
      throw new IllegalArgumentException("reactant.default-call-timeout must be positive, was "
          + defaultCallTimeout);
    }
    this.defaultCallTimeout = defaultCallTimeout;
  }

  public Duration getShutdownGracePeriod() {
    return shutdownGracePeriod;
  }

  public void setShutdownGracePeriod(Duration shutdownGracePeriod) {
    if (shutdownGracePeriod.isNegative()) {
      throw new IllegalArgumentException("reactant.shutdown-grace-period must not be negative, was "
          + shutdownGracePeriod);
    }
    this.shutdownGracePeriod = shutdownGracePeriod;
  }

  public Duration getLongTurnWarning() {
    return longTurnWarning;
  }

  public void setLongTurnWarning(Duration longTurnWarning) {
    if (longTurnWarning.isNegative()) {
      throw new IllegalArgumentException("reactant.long-turn-warning must not be negative, was "
          + longTurnWarning);
    }
    this.longTurnWarning = longTurnWarning;
  }

  public Http getHttp() {
    return http;
  }

  public ContextPropagation getContextPropagation() {
    return contextPropagation;
  }

  /** Carrying callers' thread-local context (traces, MDC) into the turns of their messages. */
  public static class ContextPropagation {

    /**
     * Whether to carry the thread-local values registered with Micrometer's context-propagation
     * library (the current observation and span, MDC) into the turns of each message, when that
     * library is on the classpath.
     */
    private boolean enabled = true;

    public boolean isEnabled() {
      return enabled;
    }

    /** Sets the flag; null (an empty value, {@code enabled=}) keeps it as it is. */
    public void setEnabled(@Nullable Boolean enabled) {
      if (enabled != null) {
        this.enabled = enabled;
      }
    }
  }

  /** The HTTP ingress of the actors. */
  public static class Http {

    /**
     * Whether to expose the actors declared as beans over HTTP, in a reactive web application.
     */
    private boolean enabled = true;

    /**
     * Path of the actor endpoints: GET {base-path} describes the actor types, POST
     * {base-path}/{type}/{id}/{method} calls a method. A literal path: segments of letters,
     * digits and '-._~', no pattern.
     */
    private String basePath = "/actors";

    /**
     * Maximum size of a request body of the actor endpoints, at most 2GB - 1B; a larger body is
     * refused with 413.
     */
    private DataSize maxRequestBody = DataSize.ofMegabytes(1);

    /**
     * Maximum length of an actor id in an endpoint's path, in characters (code points: one outside
     * the BMP counts once); a longer one is refused with 400 before any actor is looked up or
     * activated.
     */
    private int maxIdLength = 256;

    private final StrictInput strictInput = new StrictInput();

    private final ErrorBodies errorBodies = new ErrorBodies();

    public boolean isEnabled() {
      return enabled;
    }

    /** Sets the flag; null (an empty value, {@code enabled=}) keeps it as it is. */
    public void setEnabled(@Nullable Boolean enabled) {
      if (enabled != null) {
        this.enabled = enabled;
      }
    }

    public String getBasePath() {
      return basePath;
    }

    public void setBasePath(String basePath) {
      try {
        new IngressSettings(basePath, 0, 1); // its rule of a base path, which the ingress applies
      } catch (IllegalArgumentException notLiteral) {
        throw new IllegalArgumentException("reactant.http.base-path must start with '/' and not"
            + " end with it, and be segments of letters, digits and '-._~' separated by '/', none"
            + " of them . or .., was '" + basePath + "'");
      }
      this.basePath = basePath;
    }

    public int getMaxIdLength() {
      return maxIdLength;
    }

    public void setMaxIdLength(@Nullable Integer maxIdLength) {
      if (maxIdLength == null) {
        return; // an empty value: the length stays as it is
      }
      if (maxIdLength < 1) {
        throw new IllegalArgumentException("reactant.http.max-id-length must be at least 1, was "
            + maxIdLength);
      }
      this.maxIdLength = maxIdLength;
    }

    public DataSize getMaxRequestBody() {
      return maxRequestBody;
    }

    public void setMaxRequestBody(DataSize maxRequestBody) {
      if (maxRequestBody.isNegative() || maxRequestBody.toBytes() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("reactant.http.max-request-body must be between 0B and "
            + Integer.MAX_VALUE + "B, was " + maxRequestBody);
      }
      this.maxRequestBody = maxRequestBody;
    }

    public StrictInput getStrictInput() {
      return strictInput;
    }

    public ErrorBodies getErrorBodies() {
      return errorBodies;
    }
  }

  /** The error bodies of the application's own WebFlux controllers and routes. */
  public static class ErrorBodies {

    /**
     * Whether the client errors (4xx) of the application's own WebFlux handlers (bad input, no
     * such path, a method, content type or Accept not taken, a body too large, a
     * ResponseStatusException of 4xx) are answered with the actor endpoints' {"message": "..."}
     * body instead of Spring Boot's error body. Off by default: it changes the application's
     * error responses.
     */
    private boolean enabled;

    /**
     * Whether, with the error bodies on a Reactor Netty server, the empty answers that the server
     * gives on its own before any handler (414 request line too long, 431 headers too large, 400
     * not HTTP, and Spring's adapter's 400 for a target that is no URI) get the {"message"} body
     * too.
     */
    private boolean serverRefusals = true;

    public boolean isEnabled() {
      return enabled;
    }

    /** Sets the flag; null (an empty value, {@code enabled=}) keeps it as it is. */
    public void setEnabled(@Nullable Boolean enabled) {
      if (enabled != null) {
        this.enabled = enabled;
      }
    }

    public boolean isServerRefusals() {
      return serverRefusals;
    }

    /** Sets the flag; null (an empty value) keeps it as it is. */
    public void setServerRefusals(@Nullable Boolean serverRefusals) {
      if (serverRefusals != null) {
        this.serverRefusals = serverRefusals;
      }
    }
  }

  /**
   * The application's own WebFlux controllers and routes held to the actor endpoints' rules of
   * input.
   */
  public static class StrictInput {

    /**
     * Whether the application's own WebFlux handlers refuse, with 400, a JSON or text body that
     * is not valid UTF-8, a JSON field given twice, a number or boolean read as a text, a form
     * whose bytes are not UTF-8, as sent or percent-decoded, a multipart part whose name or text
     * is not, and a path or a query with a raw character outside ASCII or a percent-encoding that
     * is not UTF-8, as the actor endpoints do. Off by default: it changes the application's JSON
     * mapper and codecs.
     */
    private boolean enabled;

    public boolean isEnabled() {
      return enabled;
    }

    /** Sets the flag; null (an empty value, {@code enabled=}) keeps it as it is. */
    public void setEnabled(@Nullable Boolean enabled) {
      if (enabled != null) {
        this.enabled = enabled;
      }
    }
  }
}
