package io.reactant.internal;

import io.reactant.actor.ActorId;
import io.reactant.actor.Caller;
import io.reactant.call.CallOptions;
import java.time.Duration;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.jspecify.annotations.Nullable;

/**
 * The invocation handler behind every actor reference: a typed proxy of the actor's interface
 * that turns each method call into a message (rule R1: the caller holds a reference, never the
 * object). A reference is a value: two references are equal when they name the same actor (one id
 * in one system: ids of two systems name two actors) through the same interface; its {@code
 * equals}, {@code hashCode} and {@code toString} are the reference's, never messages, also where
 * the interface redeclares them. Its calls reach
 * only an actor whose class implements its interface (rules R1, R23): any other answers code 3, as
 * an actor without the method does, even when it has the method through an interface both types
 * extend.
 */
public final class ActorProxy implements InvocationHandler {

  private static final Object[] NO_ARGS = new Object[0];

  final ActorRuntime runtime;
  final ActorId id;
  /** The shared methods of the reference's interface; also says which interface ({@code type}). */
  final MethodTable table;
  final Caller ingressCaller;
  final CallOptions options;
  /**
   * The bounded wait of calls (queries included) through this reference: its options', else the
   * system's default.
   */
  final @Nullable Duration timeout;
  /**
   * Whether the bounded wait of calls through this reference falls due: it has one, shorter than
   * the 146 years from which a wait never ends ({@code ChronoUnit.FOREVER}, see {@link
   * ActorRuntime#fallsDue}). Such a call's future completes by timing out at the latest, so the
   * await-cycle walk ends at it (rule R13); one that never times out does not end a cycle.
   */
  final boolean timesOut;
  /**
   * The actor in whose turn or constructor the options that attach cycles were applied, null when
   * they attach none or were applied outside any actor: only that actor's calls attach them (rule
   * R22), so that a reference received in a message cannot spend its receiver's cycles.
   */
  final @Nullable ActorCell cyclesPayer;
  private volatile @Nullable ActorCell cell;

  ActorProxy(ActorRuntime runtime, Class<?> type, ActorId id, Caller ingressCaller,
      CallOptions options) {
    this(runtime, type, id, ingressCaller, options, null);
  }

  ActorProxy(ActorRuntime runtime, Class<?> type, ActorId id, Caller ingressCaller,
      CallOptions options, @Nullable ActorCell cyclesPayer) {
    this.runtime = runtime;
    this.id = id;
    this.table = MethodTable.of(type);
    this.ingressCaller = ingressCaller;
    this.options = options;
    this.timeout = options.boundedWait().orElse(runtime.defaultTimeout());
    this.timesOut = timeout != null && ActorRuntime.fallsDue(timeout);
    this.cyclesPayer = cyclesPayer;
  }

  /** Returns the handler of an actor reference, or null if the object is not one. */
  public static @Nullable ActorProxy of(Object ref) {
    if (Proxy.isProxyClass(ref.getClass()) && Proxy.getInvocationHandler(ref) instanceof ActorProxy p) {
      return p;
    }
    return null;
  }

  /** Whether a reference answers {@code method} itself (see {@code ActorRefs.isAnsweredByReference}). */
  public static boolean answersItself(Method method) {
    return MethodTable.isObjectMethod(method);
  }

  /** Validates an actor interface (see {@code ActorRefs.requireActorType}). */
  public static void requireActorType(Class<?> type) {
    MethodTable.of(type);
  }

  /** Validates an implementation of an actor interface (see {@code ActorRefs.requireActorType}). */
  public static void requireActorType(Class<?> type, Class<?> implementation) {
    MethodTable table = MethodTable.of(type);
    if (!type.isAssignableFrom(implementation)) {
      throw new IllegalArgumentException(implementation.getName() + " does not implement "
          + type.getName());
    }
    table.requireMarkersAgree(implementation);
  }

  public ActorId id() {
    return id;
  }

  public Class<?> type() {
    return table.type; // not a field of its own: a reference is 8 bytes smaller
  }

  public Caller ingressCaller() {
    return ingressCaller;
  }

  /**
   * Returns a new reference to the same actor whose ingress calls carry the given caller: a
   * principal or anonymous. An actor's identity, of this system or another, is refused: ingress
   * calls come from outside the systems, and only a call an actor makes in its turn carries its id
   * (rule R21).
   */
  public Object withIngressCaller(Caller caller) {
    if (caller.kind() != Caller.Kind.PRINCIPAL && caller.kind() != Caller.Kind.ANONYMOUS) {
      throw new IllegalArgumentException("An ingress call comes from a principal or anonymous, not"
          + " from " + caller + ": only a call made in an actor's turn carries its identity (rule R21)");
    }
    return runtime.proxy(table.type, id, caller, options, cyclesPayer);
  }

  /**
   * Sends a oneway of the reference's interface as an ingress call, and throws the reject that
   * refuses it before it is queued (see {@code ActorRefs.sendOneway}).
   */
  public void sendIngressOneway(Method method, Object @Nullable [] args) {
    MethodInfo info = table.get(method);
    if (info == null) {
      throw new IllegalArgumentException(method + " is not a shared method of "
          + table.type.getName());
    }
    Object[] a = args == null ? NO_ARGS : args;
    Class<?>[] params = method.getParameterTypes();
    if (a.length != params.length) {
      throw new IllegalArgumentException(method + " takes " + params.length + " arguments, not "
          + a.length);
    }
    for (int i = 0; i < a.length; i++) {
      if (!fits(params[i], a[i])) {
        throw new IllegalArgumentException("Argument " + i + " of " + method + " must be a "
            + params[i].getName() + ", was " + (a[i] == null ? "null" : a[i].getClass().getName()));
      }
    }
    runtime.sendIngressOneway(this, info, a);
  }

  /**
   * Whether {@code arg} can be passed for a parameter of type {@code param}, as a call through the
   * reference would pass it: an instance (or null) of a reference type; for a primitive type, its
   * wrapper or one that widens to it.
   */
  private static boolean fits(Class<?> param, @Nullable Object arg) {
    if (!param.isPrimitive()) {
      return arg == null || param.isInstance(arg);
    }
    if (arg == null) {
      return false;
    }
    Class<?> w = java.lang.invoke.MethodType.methodType(param).wrap().returnType();
    if (w.isInstance(arg)) {
      return true;
    }
    boolean small = arg instanceof Byte || arg instanceof Short || arg instanceof Character;
    boolean integral = small || arg instanceof Integer || arg instanceof Long;
    if (param == double.class) {
      return integral || arg instanceof Float;
    }
    if (param == float.class) {
      return integral;
    }
    if (param == long.class) {
      return small || arg instanceof Integer;
    }
    if (param == int.class) {
      return small;
    }
    return param == short.class && arg instanceof Byte;
  }

  /**
   * Returns a new reference to the same actor whose calls carry the given options (rule R22). The
   * cycles they attach are attached only by calls of the actor whose turn or constructor applies
   * them here: see {@link #cyclesPayer}.
   */
  public Object withOptions(CallOptions callOptions) {
    ActorCell payer = null;
    if (callOptions.attachedCycles() > 0) {
      ExecutionContext c = Contexts.current();
      payer = c == null ? null : c.cell;
    }
    return runtime.proxy(table.type, id, ingressCaller, callOptions, payer);
  }

  /** Returns the live cell of the actor, or null when there is no such actor. */
  @Nullable ActorCell resolve() {
    ActorCell c = cell;
    if (c != null && !c.stopped) {
      return c;
    }
    c = runtime.find(id);
    cell = c;
    return c;
  }

  @Override
  public @Nullable Object invoke(Object proxy, Method method, Object @Nullable [] args) {
    MethodInfo info = table.get(method);
    if (info == null) {
      return objectMethod(proxy, method, args);
    }
    return runtime.send(this, info, args == null ? NO_ARGS : args);
  }

  private Object objectMethod(Object proxy, Method method, Object @Nullable [] args) {
    switch (method.getName()) {
      case "equals":
        Object other = args == null ? null : args[0];
        ActorProxy o = other == null ? null : of(other);
        return o != null && o.runtime == runtime && o.id.equals(id) && o.table == table;
      case "hashCode":
        return id.hashCode() * 31 + table.type.hashCode();
      case "toString":
        return "ActorRef[" + table.type.getSimpleName() + " " + id + "]";
      default:
        throw new UnsupportedOperationException(
            method + " is not a shared method of " + table.type.getName());
    }
  }
}
