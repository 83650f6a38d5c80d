package io.reactant.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The Reactant sample service: actors declared as Spring beans, exposed through the starter's
 * generic endpoints ({@code /actors}) and through REST controllers, one package per feature.
 *
 * <p>Run it from the repository root with {@code mvn -pl sample-service -am spring-boot:run}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SampleServiceApplication {

  public static void main(String[] args) {
    SpringApplication.run(SampleServiceApplication.class, args);
  }
}
