package io.reactant.spring.boot.web;

import io.reactant.actor.ActorId;
import io.reactant.actor.ActorInfo;
import io.reactant.actor.ActorRefs;
import io.reactant.actor.Caller;
import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import io.reactant.spring.boot.ActorBean;
import io.reactant.spring.boot.ActorDeclaration;
import io.reactant.spring.boot.ActorDirectory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.core.BridgeMethodResolver;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.server.PathContainer;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.handler.ExceptionHandlingWebHandler;
import org.springframework.web.util.DisconnectedClientHelper;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP ingress of the actors declared with {@link io.reactant.spring.boot.ActorBean}, in the
 * shape of Dapr's actor API:
 *
 * <ul>
 *   <li>{@code GET /actors}: 200 with every exposed type and its methods (a Candid interface in
 *       JSON);
 *   <li>{@code POST /actors/{type}/{id}/{method}} with a JSON array of arguments: 200 with the
 *       JSON result, 204 when there is none, 202 for a oneway (queued, never answered; one
 *       refused at once, by a full mailbox for example, answers the refusal as a call does);
 *   <li>{@code GET /actors/{type}/{id}/{method}}: the same, for a query without arguments.
 * </ul>
 *
 * <p>Guarantees: an update is answered only after the turn that produced its result committed, a
 * query from committed state (rule R23). A query waits for its reply at most the system's
 * default call timeout ({@link io.reactant.actor.ActorSystemConfig#defaultCallTimeout()}), as an
 * update does, then answers 504 with code 6: the actor system bounds both, and counts each such
 * failure once (rule R22). A query whose request is cancelled before its answer (the client
 * left) is cancelled then, with code 6, as at its bound ({@link ActorRefs#cancelQuery}); an
 * update is not (rule R3). Actor code that a call runs at once (a query, an
 * inspection, a virtual actor's activation) runs on the actor system's threads ({@link
 * io.reactant.actor.ActorSystem#executor()}), never on the server's event loop. The call carries
 * the caller identity that the {@link IngressCallerResolver} gives (rule R21). When the system
 * has a {@link io.reactant.actor.ContextPropagation} and Micrometer's context-propagation library
 * is present, the call is made with the thread-locals of the values the request's Reactor Context
 * holds (the request's observation), so its turns run in them. A failed call answers the status
 * of its reject code ({@link RejectCodeHttpStatus}) and {@code {"code", "reject", "message"}}, as
 * do an unknown type, method or id (404, code 3; a method marked {@link
 * io.reactant.spring.boot.NotExposed} answers exactly as an unknown one, and {@code GET /actors}
 * leaves it out) and a call through one type's path to another type's actor (refused by the
 * actor system unless the actor's class implements both types, then here if its own type does not
 * call the method over HTTP): 404, code 3, naming nothing of that actor, exactly as an unknown id
 * through a singleton's or explicit type's path, {@code The actor id 'x' is held by an actor that
 * is not of the type 'T'} through a virtual type's, where an unknown id would be created. Another
 * request refused before any actor sees it answers {@code {"message"}}: 400 for malformed JSON or
 * wrong arguments, 404 through {@link ActorPathNotFoundHandler} for a path under the base path
 * that no handler takes, 405 for a GET on a method that needs a POST, 406 for a request whose
 * {@code Accept} admits no JSON answer (before the actor is called), 413 for a body over the
 * limit, 415 for a body that is not JSON. No stack trace reaches the client.
 */
public final class ActorIngressHandler {

  private static final Log LOG = LogFactory.getLog(ActorIngressHandler.class);
  private static final byte[] EMPTY = new byte[0];

  private final ActorDirectory directory;
  private final JsonMapper mapper;
  private final JsonArguments arguments;
  /** The traps of the application's exceptions it answered (logged once per method at WARN). */
  private final AnsweredTraps traps = new AnsweredTraps();
  private final IngressCallerResolver callers;
  private final IngressSettings settings;
  /** The actor system's threads, where the actors' code that a call runs at once runs. */
  private final Scheduler pool;
  private final Map<String, ExposedActorType> types = new LinkedHashMap<>();
  /** See {@link #offHttpElsewhere}; empty unless actor types share an interface. */
  private final Map<Method, Set<Class<?>>> offHttpElsewhere;
  /**
   * Sets the thread-locals of the request's Reactor Context around a call, so that the actor
   * system's context propagation carries them (the request's observation, on WebFlux); null when
   * the system has no context propagation or Micrometer's library is absent.
   */
  private final @Nullable ReactorContextThreadLocals threadLocals;

  /**
   * Creates the ingress of the exposed actor types of the directory.
   *
   * @throws io.reactant.spring.boot.ActorDeclarationException if an exposed actor interface
   *     overloads a method name, or has a method that takes or returns an actor reference (not
   *     counting the methods {@link io.reactant.spring.boot.NotExposed} marks), or if that
   *     annotation marks a method that is not a shared method of the type
   */
  public ActorIngressHandler(ActorDirectory directory, JsonMapper mapper,
      IngressCallerResolver callers, IngressSettings settings) {
    this.directory = Objects.requireNonNull(directory, "directory");
    // actor ids (Candid principals) as their text, in arguments and results
    this.mapper = Objects.requireNonNull(mapper, "mapper").rebuild()
        .addModule(ActorIdJson.module()).build();
    this.arguments = new JsonArguments(this.mapper);
    this.callers = Objects.requireNonNull(callers, "callers");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.pool = Schedulers.fromExecutor(directory.system().executor());
    this.threadLocals = directory.system().config().contextPropagation().isEmpty() ? null
        : ReactorContextThreadLocals.ifPresent(getClass().getClassLoader());
    Set<Class<?>> actorTypes = new HashSet<>();
    for (ActorDeclaration d : directory.declarations()) {
      actorTypes.add(d.type());
    }
    for (ActorDeclaration d : directory.declarations()) {
      // checked for every type, exposed or not: a mark on a method that is not shared is a mistake
      Set<Method> hidden = NotExposedMethods.of(d);
      if (d.exposed()) {
        types.put(d.name(), new ExposedActorType(d, actorTypes, hidden));
      }
    }
    this.offHttpElsewhere = offHttpElsewhere(types, directory.declarations());
  }

  /**
   * For each method that HTTP calls on one exposed type, the other declared actor types whose
   * implementation implements that type's interface too but which do not call the method over
   * HTTP themselves: types not exposed, that mark the method {@link
   * io.reactant.spring.boot.NotExposed}, or whose actor interface does not have it (only their
   * implementation does). The actor system refuses a call through one type's reference to an actor
   * whose class does not implement that type (code 3, rules R1 and R23), whatever interface the
   * two share; it delivers one to an actor whose class does, so without this a client would reach
   * such an actor's hidden method through the other type's path. Empty unless an implementation
   * implements two declared types.
   */
  private static Map<Method, Set<Class<?>>> offHttpElsewhere(Map<String, ExposedActorType> types,
      Collection<ActorDeclaration> declarations) {
    Map<Method, Set<Class<?>>> elsewhere = new HashMap<>();
    for (ExposedActorType type : types.values()) {
      for (ActorMethod method : type.methods()) {
        Method m = method.method;
        for (ActorDeclaration other : declarations) {
          if (other.type() != type.declaration.type()
              && type.declaration.type().isAssignableFrom(other.implementation())
              && !callsOverHttp(other.exposed() ? types.get(other.name()) : null, m)) {
            elsewhere.computeIfAbsent(m, k -> new HashSet<>()).add(other.type());
          }
        }
      }
    }
    elsewhere.replaceAll((m, others) -> Set.copyOf(others));
    return Map.copyOf(elsewhere);
  }

  /** Whether the exposed type calls over HTTP the method of its interface that {@code m} is. */
  private static boolean callsOverHttp(@Nullable ExposedActorType type, Method m) {
    if (type == null) {
      return false;
    }
    ActorMethod visible = type.method(m.getName());
    Method own;
    try {
      own = type.declaration.type().getMethod(m.getName(), m.getParameterTypes());
    } catch (NoSuchMethodException notOfTheType) {
      return false;
    }
    // a bridge of the interface (put(Object) beside put(String)) is the method it bridges to
    return visible != null && visible.method.equals(BridgeMethodResolver.findBridgedMethod(own));
  }

  /** Returns the routes of the ingress, under the configured base path. */
  public RouterFunction<ServerResponse> routes() {
    String base = settings.basePath();
    String call = base + "/{type}/{id}/{method}";
    return RouterFunctions.route()
        .GET(base, this::describe)
        .HEAD(base, this::describe)
        .POST(call, this::call)
        .GET(call, this::call)
        .HEAD(call, this::call)
        .OPTIONS(call, this::allowed)
        .OPTIONS(base, this::allowedOnBase)
        .route(RequestPredicates.path(call), this::methodNotAllowed)
        .route(RequestPredicates.path(base), this::methodNotAllowedOnBase)
        .build();
  }

  /** The HTTP methods the base path answers, for {@code Allow}. */
  private static final String DESCRIBE_ALLOW = "GET, HEAD, OPTIONS";

  /** An exposed actor type and one of its methods, as a request's path names them. */
  private record Endpoint(ExposedActorType type, ActorMethod method) {

    /** Whether {@code GET} reads it: a query without arguments. */
    boolean readable() {
      return method.kind.isQuery() && method.params.isEmpty();
    }

    /** The HTTP methods it answers, for {@code Allow}. */
    String allow() {
      return readable() ? "GET, HEAD, POST, OPTIONS" : "POST, OPTIONS";
    }
  }

  /**
   * The type and method a request's path names.
   *
   * @throws CallError code 3 (a 404) if no exposed type or no method of it has that name
   */
  private Endpoint endpoint(ServerRequest request) {
    ExposedActorType type = types.get(request.pathVariable("type"));
    if (type == null) {
      throw new CallError(RejectCode.DESTINATION_INVALID, "No actor type '"
          + request.pathVariable("type") + "'; the exposed types are " + types.keySet());
    }
    ActorMethod method = type.method(request.pathVariable("method"));
    if (method == null) {
      throw new CallError(RejectCode.DESTINATION_INVALID, "The actor type '" + type.name()
          + "' has no method '" + request.pathVariable("method") + "'");
    }
    return new Endpoint(type, method);
  }

  /**
   * {@code OPTIONS} on the base path (not a CORS preflight, which CORS handles first): 204 with
   * {@code Allow}. Chosen by the route, not by comparing {@code request.path()}, which keeps the
   * path's encoding ({@code /act%6Frs} is the base path too).
   */
  private Mono<ServerResponse> allowedOnBase(ServerRequest request) {
    return ServerResponse.noContent().header("Allow", DESCRIBE_ALLOW).build();
  }

  /**
   * {@code OPTIONS} on an actor method (not a CORS preflight, which CORS handles first): 204 with
   * {@code Allow}, or 404 for a type or method that does not exist.
   */
  private Mono<ServerResponse> allowed(ServerRequest request) {
    try {
      return ServerResponse.noContent().header("Allow", endpoint(request).allow()).build();
    } catch (RuntimeException e) {
      return error(e);
    }
  }

  /** Any other HTTP method on the base path: 405, with the methods it allows. */
  private Mono<ServerResponse> methodNotAllowedOnBase(ServerRequest request) {
    return notAllowed(DESCRIBE_ALLOW, request.method() + " is not allowed here: GET describes"
        + " the actor types");
  }

  /**
   * Any other HTTP method on an actor method: 405, with the methods it allows, or 404 for a type
   * or method that does not exist.
   */
  private Mono<ServerResponse> methodNotAllowed(ServerRequest request) {
    try {
      Endpoint endpoint = endpoint(request);
      return notAllowed(endpoint.allow(), request.method() + " is not allowed here: POST calls a"
          + " method with a JSON array of arguments"
          + (endpoint.readable() ? "; GET reads this query" : ""));
    } catch (RuntimeException e) {
      return error(e);
    }
  }

  /** A 405 with the methods the endpoint allows and a message saying what to do instead. */
  private Mono<ServerResponse> notAllowed(String allow, String message) {
    return ServerResponse.status(HttpStatus.METHOD_NOT_ALLOWED).header("Allow", allow)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(mapper.writeValueAsBytes(ErrorBodies.of(message)));
  }

  /** {@code GET /actors}: describes every exposed actor type. */
  public Mono<ServerResponse> describe(ServerRequest request) {
    try {
      requireAcceptsJson(request);
    } catch (RuntimeException e) {
      return error(e);
    }
    List<Map<String, Object>> body = types.values().stream().map(ExposedActorType::describe).toList();
    return json(HttpStatus.OK, body);
  }

  /** {@code POST} (or, for a query without arguments, {@code GET}) {@code /actors/{type}/{id}/{method}}. */
  public Mono<ServerResponse> call(ServerRequest request) {
    try {
      Endpoint endpoint = endpoint(request);
      ExposedActorType type = endpoint.type();
      ActorMethod method = endpoint.method();
      String idValue = request.pathVariable("id");
      if (idValue.isBlank()) {
        throw new IngressRequestException(HttpStatus.BAD_REQUEST, "An actor id must not be blank");
      }
      if (!isAscii(idValue)) {
        String raw = rawIdSegment(request);
        if (!isAscii(raw)) {
          // the server read the request line's bytes as ISO-8859-1: a raw é, sent as its UTF-8
          // bytes, arrives as Ã©, which names another actor
          throw new IngressRequestException(HttpStatus.BAD_REQUEST, "The actor id holds characters"
              + " that are not percent-encoded: percent-encode the UTF-8 bytes of each character"
              + " outside ASCII (é is %C3%A9)");
        }
        if (idValue.indexOf('\uFFFD') >= 0 && !Utf8Input.isUtf8OncePercentDecoded(raw)) {
          throw new IngressRequestException(HttpStatus.BAD_REQUEST, "The actor id is not UTF-8"
              + " once percent-decoded: percent-encode the UTF-8 bytes of each character"
              + " (é is %C3%A9)");
        }
      }
      // characters, as documented: code points, so a character outside the BMP counts once
      if (idValue.length() > settings.maxIdLength()
          && idValue.codePointCount(0, idValue.length()) > settings.maxIdLength()) {
        throw new IngressRequestException(HttpStatus.BAD_REQUEST, "An actor id is at most "
            + settings.maxIdLength() + " characters (reactant.http.max-id-length); this one has "
            + idValue.codePointCount(0, idValue.length()));
      }
      ActorId id = ActorId.of(idValue);
      boolean read = request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD;
      if (read && !endpoint.readable()) {
        return notAllowed(endpoint.allow(), "GET is only for query methods without arguments;"
            + " call " + type.name() + "." + method.name() + " with POST and a JSON array of"
            + " arguments");
      }
      Mono<byte[]> body = read ? Mono.just(EMPTY) : body(request);
      return body
          .map(bytes -> {
            if (!method.hasNoResult()) {
              requireAcceptsJson(request); // before the call: its result could not be answered
            }
            return arguments.read(type, method, bytes);
          })
          .zipWith(callers.resolve(request.exchange()))
          .flatMap(t -> {
            if (ServerAnsweredAlready.test(request.exchange().getResponse())) {
              // the server refused the body part-way and answered: no call with what came before
              return Mono.<ServerResponse>empty();
            }
            return runsActorCode(type, method, id)
                ? Mono.defer(() -> invokeIn(type, method, id, t.getT1(), t.getT2()))
                    .subscribeOn(pool)
                : invokeIn(type, method, id, t.getT1(), t.getT2());
          })
          // one operator for every failure: a refusal naming an actor of another type is answered
          // without it (heldElsewhere), anything else as it is
          .onErrorResume(e -> error(request,
              e instanceof CallError c && isActorOfAnotherType(id, c) ? heldElsewhere(type, id) : e));
    } catch (RuntimeException e) {
      return error(request, e);
    }
  }

  /**
   * {@code value}, the result of {@code method}, as JSON; a failure to write it (a type Jackson has
   * no serializer for, a self-reference, an accessor that throws: a bug of the application, which
   * any client may ask for again) is a {@link RepeatableFailure}.
   */
  private byte[] result(ExposedActorType type, ActorMethod method, Object value) {
    try {
      return mapper.writerFor(mapper.constructType(method.resultType)).writeValueAsBytes(value);
    } catch (RuntimeException e) {
      // named as a trap's message names the method: by the interface that declares it
      String name = method.method.getDeclaringClass().getSimpleName() + "." + method.name() + "()";
      throw new RepeatableFailure(
          new AnsweredTraps.Kind(type.declaration.type().getName(), "the result of " + name),
          "The result of " + name + " cannot be written as JSON (a bug of its type), answered over"
              + " HTTP as a 500 without the exception's message"
              + (method.kind == ActorMethod.Kind.UPDATE ? "; the update's turn committed, so its"
                  + " changes stand though the client got a 500" : ""),
          "later failures of this method's result are logged at debug level", e);
    }
  }

  private static boolean isAscii(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /** The id's segment of the request's path as sent: not percent-decoded, without parameters. */
  private static String rawIdSegment(ServerRequest request) {
    List<String> segments = request.requestPath().pathWithinApplication().elements().stream()
        .filter(e -> e instanceof PathContainer.PathSegment).map(PathContainer.Element::value)
        .toList();
    String raw = segments.get(segments.size() - 2); // {type}/{id}/{method} end the path
    int parameters = raw.indexOf(';');
    return parameters < 0 ? raw : raw.substring(0, parameters);
  }

  private Mono<byte[]> body(ServerRequest request) {
    long limit = settings.maxRequestBody();
    long declared = request.headers().contentLength().orElse(-1L);
    if (declared > limit) {
      return Mono.error(tooLarge());
    }
    return DataBufferUtils.join(request.body(BodyExtractors.toDataBuffers()), (int) limit)
        .map(buffer -> {
          byte[] bytes = new byte[buffer.readableByteCount()];
          buffer.read(bytes);
          DataBufferUtils.release(buffer);
          return bytes;
        })
        .defaultIfEmpty(EMPTY)
        .onErrorMap(DataBufferLimitException.class, e -> tooLarge())
        .doOnNext(bytes -> {
          requireNoContentCoding(request, bytes);
          requireJson(request, bytes);
        });
  }

  /**
   * Refuses with 415 a body in a content coding ({@code Content-Encoding: gzip}): neither Reactor
   * Netty nor Spring decodes one in a request, so its coded bytes would be read as JSON. The
   * answer names the coding and says {@code Accept-Encoding: identity}, as RFC 9110 (15.5.16)
   * asks; {@code identity} is the body as it is. Checked once the body is read, as the content
   * type is (an answer before the body is read stalls a kept-alive connection on some Reactor
   * Netty versions).
   */
  private static void requireNoContentCoding(ServerRequest request, byte[] bytes) {
    List<String> codings = request.headers().header(HttpHeaders.CONTENT_ENCODING);
    if (bytes.length == 0 || codings.isEmpty()) {
      return;
    }
    for (String header : codings) {
      for (String coding : header.split(",")) {
        String name = coding.strip();
        if (!name.isEmpty() && !name.equalsIgnoreCase("identity")) {
          HttpHeaders accepted = new HttpHeaders();
          accepted.set(HttpHeaders.ACCEPT_ENCODING, "identity");
          throw new IngressRequestException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "The request body"
              + " is in a content coding this server does not decode (Content-Encoding: "
              + String.join(", ", codings) + "): send it as it is, without Content-Encoding",
              accepted);
        }
      }
    }
  }

  private static void requireJson(ServerRequest request, byte[] bytes) {
    if (bytes.length == 0) {
      return;
    }
    MediaType type;
    try {
      type = request.headers().contentType().orElse(null);
    } catch (InvalidMediaTypeException e) {
      throw new IngressRequestException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "The Content-Type header"
          + " is not a media type; send the arguments as a JSON array with the header"
          + " 'Content-Type: application/json'");
    }
    if (type == null || !(type.isCompatibleWith(MediaType.APPLICATION_JSON)
        || "json".equals(type.getSubtypeSuffix()))) {
      throw new IngressRequestException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Send the arguments"
          + " as a JSON array with the header 'Content-Type: application/json' (got "
          + (type == null ? "no content type" : type.toString()) + ")");
    }
  }

  /**
   * Refuses with 406 a request whose {@code Accept} header admits no JSON (or is not a list of
   * media types), as an annotated controller that produces JSON does. Errors are answered in JSON
   * anyway.
   */
  private static void requireAcceptsJson(ServerRequest request) {
    List<MediaType> accepted;
    try {
      accepted = request.headers().accept();
    } catch (InvalidMediaTypeException e) {
      throw notAcceptable();
    }
    if (accepted.isEmpty()) {
      return;
    }
    for (MediaType type : accepted) {
      if (type.getQualityValue() > 0 && type.isCompatibleWith(MediaType.APPLICATION_JSON)) {
        return;
      }
    }
    throw notAcceptable();
  }

  private static IngressRequestException notAcceptable() {
    return new IngressRequestException(HttpStatus.NOT_ACCEPTABLE, "The response is"
        + " application/json; accept it (Accept: application/json)");
  }

  private IngressRequestException tooLarge() {
    return new IngressRequestException(HttpStatus.CONTENT_TOO_LARGE, "The request body is larger"
        + " than the limit of " + settings.maxRequestBody() + " bytes (reactant.http.max-request-body)");
  }

  /**
   * Whether calling the method runs actor code on the calling thread (a query, an inspection, the
   * activation of a virtual actor), which must then be one of the actor system's, not the server's
   * event loop: that code may take long, and the loop serves many connections. Other calls only
   * queue a message, which the actor runs on its pool.
   */
  private boolean runsActorCode(ExposedActorType type, ActorMethod method, ActorId id) {
    return method.kind.isQuery() || type.inspects
        || type.declaration.activation() == ActorBean.Activation.VIRTUAL
            && !directory.system().contains(id);
  }

  /**
   * Calls the actor, in the thread-locals of the request's Reactor Context if {@link #threadLocals}
   * is set: the call captures them for its turns.
   */
  private Mono<ServerResponse> invokeIn(ExposedActorType type, ActorMethod method, ActorId id,
      Object[] args, Caller caller) {
    ReactorContextThreadLocals locals = threadLocals;
    if (locals == null) {
      return invoke(type, method, id, args, caller);
    }
    return Mono.deferContextual(context ->
        locals.callIn(context, () -> invoke(type, method, id, args, caller)));
  }

  private Mono<ServerResponse> invoke(ExposedActorType type, ActorMethod method, ActorId id,
      Object[] args, Caller caller) {
    Set<Class<?>> offHttp = offHttpElsewhere.get(method.method);
    if (offHttp != null) {
      Class<?> held = directory.system().actor(id).map(ActorInfo::type).orElse(null);
      if (held != null && offHttp.contains(held)) {
        // answered as the actor system's refusal of an actor of another type is
        return Mono.error(heldElsewhere(type, id));
      }
    }
    Object ref = ActorRefs.withIngressCaller(directory.system().lookup(type.declaration.type(), id), caller);
    if (method.kind == ActorMethod.Kind.ONEWAY) {
      // 202 only once queued: a oneway refused at once answers the refusal, as a call does
      try {
        ActorRefs.sendOneway(ref, method.method, args);
      } catch (RuntimeException e) {
        return Mono.error(e);
      }
      return ServerResponse.accepted().build();
    }
    Object result;
    try {
      result = method.method.invoke(ref, args);
    } catch (InvocationTargetException e) {
      return Mono.error(e.getCause() == null ? e : e.getCause());
    } catch (IllegalAccessException e) {
      return Mono.error(e);
    }
    // a query's wait, as an update's, is bounded by the call itself (the system's default call
    // timeout): the actor system fails it with code 6, cancels it and tells its listener once
    Mono<?> future = (Mono<?>) Objects.requireNonNull(result, "an actor reference returned null");
    // a query whose client left is cancelled (it changes nothing, rule R19), not left waiting for
    // an answer no one reads; an update sent runs whatever its caller does (rule R3). A
    // cancellation after the answer (while it is written) finds the query ended, and does nothing
    Mono<?> reply = method.kind.isQuery()
        ? future.doOnCancel(() -> cancelQuery(future)) : future;
    return reply
        .flatMap(value -> method.hasNoResult()
            ? ServerResponse.noContent().build()
            : ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
                .bodyValue(result(type, method, value)))
        .switchIfEmpty(Mono.defer(() -> ServerResponse.noContent().build()));
  }

  /**
   * Cancels the query whose future is {@code future} on the actor system's threads: the
   * cancellation runs actor code (the hooks of the query's {@code Mono}, in its context, and of
   * the queries a composite query made) and tells the {@link io.reactant.actor.TurnListener},
   * either of which may block, and a request is cancelled on the server's event loop. An executor
   * that refuses it is shut down, and the shutdown ends the query.
   */
  private void cancelQuery(Mono<?> future) {
    try {
      pool.schedule(() -> ActorRefs.cancelQuery(future));
    } catch (RejectedExecutionException e) {
      LOG.debug("The actor system's executor refused to cancel a query whose client left", e);
    }
  }

  /**
   * Whether {@code e} is the actor system's refusal of a call to the actor {@code id} through a
   * reference of a type its class does not implement ({@link CallError#actorOfAnotherType()}). Read on
   * the error path only, so that a call that succeeds looks nothing up.
   */
  private static boolean isActorOfAnotherType(ActorId id, CallError e) {
    return e.actorOfAnotherType().filter(id::equals).isPresent();
  }

  /**
   * The answer to a call through {@code type}'s path to the id of an actor of another type, which
   * tells the client nothing of that actor (the actor system's message names its type, which may
   * be one kept off HTTP). A singleton's or explicit type's path answers exactly as for an id no
   * actor holds, so that a client cannot even tell that the id is taken; a virtual type's would
   * create an actor at an unknown id, so it says that the id is held, by an actor not of the type.
   */
  private static CallError heldElsewhere(ExposedActorType type, ActorId id) {
    if (type.declaration.activation() == ActorBean.Activation.VIRTUAL) {
      return new CallError(RejectCode.DESTINATION_INVALID, "The actor id '" + id + "' is held by"
          + " an actor that is not of the type '" + type.name() + "'");
    }
    // the actor system's answer for an id that no actor holds
    return new CallError(RejectCode.DESTINATION_INVALID, ErrorBodies.unknownId(id.toString()));
  }

  /**
   * As {@link #error(Throwable)}, and a failure of the server's side (an answer of 5xx: a trap, an
   * overload, a timeout, an unexpected failure) is the error of the request's observation, as an
   * exception a {@code WebExceptionHandler} answers is: its server span is marked as an error and
   * {@code http.server.requests} tags its exception. A client's error (4xx) and a client that left
   * are not.
   */
  private Mono<ServerResponse> error(ServerRequest request, Throwable e) {
    if (ServerAnsweredAlready.test(request.exchange().getResponse())) {
      LOG.debug("The server refused the request to an actor endpoint on its own", e);
      return Mono.empty(); // a second answer would fail
    }
    boolean serverSide = e instanceof CallError callError
        ? RejectCodeHttpStatus.of(callError.code()).is5xxServerError()
        : !(e instanceof IngressRequestException)
            && !DisconnectedClientHelper.isClientDisconnectedException(e);
    if (serverSide) {
      // where Spring notes an exception its WebExceptionHandlers answered, which it records as
      // the error of the request's observation once the answer is sent
      request.exchange().getAttributes().put(ExceptionHandlingWebHandler.HANDLED_WEB_EXCEPTION,
          e instanceof RepeatableFailure repeatable ? repeatable.getCause() : e);
    }
    return error(e);
  }

  private Mono<ServerResponse> error(Throwable e) {
    if (e instanceof CallError callError) {
      return json(RejectCodeHttpStatus.of(callError.code()), ErrorBodies.of(callError, traps));
    }
    if (e instanceof IngressRequestException refused) {
      return json(ServerResponse.status(refused.status).headers(h -> h.addAll(refused.headers)),
          ErrorBodies.of(refused.getMessage()));
    }
    if (e instanceof RepeatableFailure repeatable) {
      repeatable.log(LOG, traps);
    } else if (DisconnectedClientHelper.isClientDisconnectedException(e)) {
      // the client closed its connection, in the middle of the body say: nothing of the server
      // failed, no call was made, and no one reads the answer (an error logged with its stack
      // at each, which any client can repeat, would flood the log)
      LOG.debug("The client of an actor endpoint closed its connection", e);
    } else {
      LOG.error("The actor ingress failed unexpectedly", e);
    }
    return json(HttpStatus.INTERNAL_SERVER_ERROR, ErrorBodies.of("Internal error; the service's"
        + " log has the details"));
  }

  private Mono<ServerResponse> json(HttpStatus status, Object body) {
    return json(ServerResponse.status(status), body);
  }

  private Mono<ServerResponse> json(ServerResponse.BodyBuilder response, Object body) {
    return response.contentType(MediaType.APPLICATION_JSON)
        .bodyValue(mapper.writeValueAsBytes(body));
  }
}
