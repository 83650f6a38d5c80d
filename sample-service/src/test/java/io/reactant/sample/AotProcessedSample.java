package io.reactant.sample;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.springframework.aot.AotDetector;
import org.springframework.boot.SpringApplicationAotProcessor;
import org.springframework.context.aot.AbstractAotProcessor.Settings;
import org.springframework.javapoet.ClassName;

/**
 * The sample service as {@code spring-boot:process-aot} and a native build process it: processed
 * ahead of time by Spring Boot's {@link SpringApplicationAotProcessor} (which runs the sample's
 * {@code main} up to its bean definitions, auto-configuration included, and writes the code that
 * registers them), that code compiled, and the sample started from it in a JVM of its own with
 * {@code -Dspring.aot.enabled=true}, on a random port. With that switch Spring Boot takes the
 * generated initializer instead of the configuration classes, and fails to start without it, so
 * a started sample runs the generated code. The JVM of its own keeps the switch (JVM-wide) away
 * from the other tests; the processing runs in the test's JVM, which Spring marks as processing
 * ({@code spring.aot.processing}) only while it runs.
 *
 * <p>Both use the test's class path ({@code java.class.path}, which Surefire sets to it). Its test
 * classes change nothing: spring-boot-test's type exclude filter keeps them out of the sample's
 * component scan, and the processor, run alone on the sample's runtime class path, generates the
 * same files.
 *
 * <p>Every wait is bounded. {@link #start} destroys the sample if it does not come up (its output
 * then in the exception), {@link #close} destroys it, and a shutdown hook destroys it if the test
 * JVM exits first.
 */
final class AotProcessedSample implements AutoCloseable {

  /** The line Reactor Netty's server logs once it listens. */
  private static final Pattern STARTED = Pattern.compile("Netty started on port (\\d+)");

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

  private final Process process;
  private final Path resources;
  private final Thread destroyOnExit;
  private final List<String> output = new ArrayList<>();
  private final CompletableFuture<Integer> port = new CompletableFuture<>();

  private AotProcessedSample(Process process, Path resources) {
    this.process = process;
    this.resources = resources;
    this.destroyOnExit = new Thread(this::destroy, "aot-sample-destroyer");
    Runtime.getRuntime().addShutdownHook(destroyOnExit);
    Thread reader = new Thread(this::readOutput, "aot-sample-output");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Processes the sample ahead of time into {@code work} ({@code sources}, {@code resources},
   * {@code classes}; their earlier content deleted), compiles the generated sources and starts the
   * sample from them; answers once it listens, or fails after {@code startup} (the sample
   * destroyed, its output in the message).
   */
  static AotProcessedSample start(Path work, Duration startup)
      throws IOException, InterruptedException {
    Path classes = work.resolve("classes");
    Path resources = work.resolve("resources");
    Settings settings = Settings.builder().sourceOutput(work.resolve("sources"))
        .resourceOutput(resources).classOutput(classes)
        .groupId("io.reactant").artifactId("sample-service").build();
    ClassName initializer = new SpringApplicationAotProcessor(SampleServiceApplication.class,
        settings, new String[0]).process();
    if (!initializer.reflectionName().equals(
        SampleServiceApplication.class.getName() + "__ApplicationContextInitializer")) {
      throw new IllegalStateException("Unexpected AOT initializer " + initializer);
    }
    String classPath = System.getProperty("java.class.path");
    compile(settings.getSourceOutput(), classes, classPath);
    String javaHome = System.getProperty("java.home");
    // a quick JIT and a small heap: the sample answers a few requests
    Process process = new ProcessBuilder(Path.of(javaHome, "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-Xmx256m",
        "-D" + AotDetector.AOT_ENABLED + "=true",
        "-cp", String.join(File.pathSeparator, classes.toString(), resources.toString(),
            classPath),
        SampleServiceApplication.class.getName(), "--server.port=0")
        .redirectErrorStream(true).start();
    AotProcessedSample sample = new AotProcessedSample(process, resources);
    boolean listening = false;
    try {
      sample.port.get(startup.toMillis(), TimeUnit.MILLISECONDS);
      listening = true;
      return sample;
    } catch (ExecutionException e) {
      throw new IllegalStateException("The sample did not start from its AOT code: "
          + e.getCause().getMessage() + "; its output:\n" + sample.output(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("The sample started from its AOT code did not listen within "
          + startup.toSeconds() + " s; its output:\n" + sample.output(), e);
    } finally {
      if (!listening) {
        sample.close();
      }
    }
  }

  /** The port the sample listens on. */
  int port() {
    return port.getNow(-1);
  }

  /**
   * The native image's reachability metadata the processing wrote (reflection, proxies and
   * resources, from the runtime hints of Spring, Boot, the starter and the sample).
   */
  Path reachabilityMetadata() {
    return resources.resolve(Path.of("META-INF", "native-image", "io.reactant", "sample-service",
        "reachability-metadata.json"));
  }

  /** What the sample printed so far. */
  String output() {
    synchronized (output) {
      return String.join("\n", output);
    }
  }

  /** Stops the sample (SIGTERM, then SIGKILL after 20 seconds) and waits until it has exited. */
  @Override
  public void close() {
    destroy();
    try {
      Runtime.getRuntime().removeShutdownHook(destroyOnExit);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs already
    }
  }

  private void destroy() {
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Keeps the sample's output drained, noting its port; fails the port if it exits first. */
  private void readOutput() {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        synchronized (output) {
          output.add(line);
        }
        Matcher started = STARTED.matcher(line);
        if (started.find()) {
          port.complete(Integer.valueOf(started.group(1)));
        }
      }
    } catch (IOException e) {
      port.completeExceptionally(e);
    }
    port.completeExceptionally(new IllegalStateException("The sample exited before it listened"));
  }

  /** Compiles the generated sources against the test class path into {@code classes}. */
  private static void compile(Path sources, Path classes, String classPath) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(sources)) {
      files = walk.filter(p -> p.toString().endsWith(".java")).toList();
    }
    try (StandardJavaFileManager fileManager =
        javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
      Writer noOutput = Writer.nullWriter();
      boolean compiled = javac.getTask(noOutput, fileManager, diagnostics,
          List.of("--release", "17", "-proc:none", "-parameters", "-nowarn",
              "-cp", classPath, "-d", classes.toString()),
          null, fileManager.getJavaFileObjectsFromPaths(files)).call();
      if (!compiled) {
        throw new IllegalStateException(
            "The generated sources do not compile: " + diagnostics.getDiagnostics());
      }
    }
  }
}
