package io.reactant.spring.boot;

import io.reactant.actor.Actor;
import io.reactant.actor.ActorClass;
import io.reactant.actor.ActorId;
import io.reactant.actor.ActorRefs;
import io.reactant.actor.CompositeQuery;
import io.reactant.actor.Query;
import io.reactant.spring.boot.ActorBean.Activation;
import io.reactant.spring.boot.autoconfigure.ReactantAutoConfiguration;
import io.reactant.spring.boot.autoconfigure.ReactantWebFluxAutoConfiguration;
import io.reactant.state.LongVar;
import io.reactant.state.Var;
import java.util.List;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.HttpHandlerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import reactor.core.publisher.Mono;

/**
 * A reactive web application with an actor of each kind, for the tests of the runtime hints: a
 * singleton ({@link Library}) with a composite query and a spawn in its turns, a virtual actor
 * ({@link Shelf}) whose interface extends another and whose class a superclass of its own, with a
 * record argument and result, a query, a oneway and a method kept off HTTP, an explicit actor
 * ({@link Memo}) and one made by a {@code @Bean} method that is not exposed over HTTP ({@link
 * Tally}); beside them a bean that is no actor ({@link Clerk}).
 */
public final class HintedActors {

  private HintedActors() {
  }

  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration({ReactantAutoConfiguration.class,
      ReactantWebFluxAutoConfiguration.class, JacksonAutoConfiguration.class,
      CodecsAutoConfiguration.class, WebFluxAutoConfiguration.class,
      HttpHandlerAutoConfiguration.class})
  @Import({LibraryActor.class, ShelfActor.class, MemoActor.class})
  public static class Application {

    @Bean
    TallyActor tally() {
      return new TallyActor();
    }

    @Bean
    Clerk clerk() {
      return new Clerk();
    }
  }

  /** A record argument. */
  public record Book(String title, List<String> authors) {
  }

  /** A record result. */
  public record Shelved(String title, long books) {
  }

  /** What only a method kept off HTTP takes. */
  public record Secret(String code) {
  }

  /** What only a type that is not exposed over HTTP takes. */
  public record Quiet(String text) {
  }

  /** What only a bean that is no actor is. */
  public interface Desk {
    String sign(String text);
  }

  /** A bean that is no actor. */
  public static final class Clerk implements Desk {
    @Override
    public String sign(String text) {
      return text + " (signed)";
    }
  }

  public interface Named {
    @Query
    Mono<String> label();
  }

  public interface Shelf extends Named {
    Mono<Shelved> put(Book book);

    @Query
    Mono<Long> books();

    void dust();

    @Query
    Mono<Long> dusted();

    @NotExposed
    Mono<Void> lock(Secret secret);
  }

  /** A superclass of an actor's class, below {@code Actor}. */
  public abstract static class LabelledActor extends Actor {
    public Mono<String> label() {
      return Mono.just("shelf " + actorId().value());
    }
  }

  @ActorBean(activation = Activation.VIRTUAL)
  public static final class ShelfActor extends LabelledActor implements Shelf {
    private final LongVar books = newLongVar("books", 0);
    private final LongVar dusted = newLongVar("dusted", 0);

    @Override
    public Mono<Shelved> put(Book book) {
      books.add(1);
      return Mono.just(new Shelved(book.title(), books.get()));
    }

    @Override
    public Mono<Long> books() {
      return Mono.just(books.get());
    }

    @Override
    public void dust() {
      dusted.add(1);
    }

    @Override
    public Mono<Long> dusted() {
      return Mono.just(dusted.get());
    }

    @Override
    public Mono<Void> lock(Secret secret) {
      return done();
    }
  }

  public interface Library {
    /** Awaits a shelf's query. */
    @CompositeQuery
    Mono<Long> booksOn(String shelf);

    /** Spawns a memo with the text when the turn commits, and answers its id. */
    Mono<ActorId> write(String text);
  }

  @ActorBean
  public static final class LibraryActor extends Actor implements Library {
    private final ActorClass<Memo, String> memos;

    public LibraryActor(ActorDirectory actors) {
      this.memos = actors.actorClass(Memo.class, String.class);
    }

    @Override
    public Mono<Long> booksOn(String shelf) {
      return await(actorOf(Shelf.class, shelf).books());
    }

    @Override
    public Mono<ActorId> write(String text) {
      return await(spawn(memos, text)).map(ActorRefs::idOf);
    }
  }

  public interface Memo {
    @Query
    Mono<String> text();
  }

  @ActorBean(activation = Activation.EXPLICIT)
  public static final class MemoActor extends Actor implements Memo {
    private final Var<String> text;

    public MemoActor(String text) {
      this.text = newVar("text", text);
    }

    @Override
    public Mono<String> text() {
      return Mono.just(text.get());
    }
  }

  public interface Tally {
    Mono<Long> add(long amount);

    Mono<String> hush(Quiet quiet);
  }

  /** Made by a {@code @Bean} method of the application, not scanned nor imported. */
  @ActorBean(activation = Activation.VIRTUAL, exposed = false)
  public static final class TallyActor extends Actor implements Tally {
    private final LongVar total = newLongVar("total", 0);

    @Override
    public Mono<Long> add(long amount) {
      total.add(amount);
      return Mono.just(total.get());
    }

    @Override
    public Mono<String> hush(Quiet quiet) {
      return Mono.just(quiet.text());
    }
  }
}
