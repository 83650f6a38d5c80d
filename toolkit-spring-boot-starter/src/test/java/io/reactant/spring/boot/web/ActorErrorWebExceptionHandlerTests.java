package io.reactant.spring.boot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactant.error.CallError;
import io.reactant.error.RejectCode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

/** Failed actor calls that escape any handler are answered with the status of their code. */
class ActorErrorWebExceptionHandlerTests {

  private final JsonMapper mapper = new JsonMapper();

  @ParameterizedTest
  @EnumSource(RejectCode.class)
  void callErrorFromAnyHandlerAnswersTheStatusOfItsCode(RejectCode code) {
    WebTestClient client = WebTestClient
        .bindToRouterFunction(RouterFunctions.route().GET("/custom",
            request -> Mono.<ServerResponse>error(new CallError(code, "from a handler"))).build())
        .handlerStrategies(org.springframework.web.reactive.function.server.HandlerStrategies.builder()
            .exceptionHandler(new ActorErrorWebExceptionHandler(mapper)).build())
        .build();
    client.get().uri("/custom").exchange()
        .expectStatus().isEqualTo(RejectCodeHttpStatus.of(code))
        .expectHeader().contentType(MediaType.APPLICATION_JSON)
        .expectBody()
        .jsonPath("$.code").isEqualTo(code.code())
        .jsonPath("$.reject").isEqualTo(code.name())
        .jsonPath("$.message").isEqualTo("from a handler");
  }

  @ParameterizedTest
  @EnumSource(RejectCode.class)
  void statusesFollowTheContract(RejectCode code) {
    Map<RejectCode, HttpStatus> contract = Map.of(
        RejectCode.SYS_FATAL, HttpStatus.INTERNAL_SERVER_ERROR,
        RejectCode.SYS_TRANSIENT, HttpStatus.SERVICE_UNAVAILABLE,
        RejectCode.DESTINATION_INVALID, HttpStatus.NOT_FOUND,
        RejectCode.CANISTER_REJECT, HttpStatus.CONFLICT,
        RejectCode.CANISTER_ERROR, HttpStatus.INTERNAL_SERVER_ERROR,
        RejectCode.SYS_UNKNOWN, HttpStatus.GATEWAY_TIMEOUT);
    assertThat(RejectCodeHttpStatus.of(code)).isEqualTo(contract.get(code));
  }

  @Test
  void otherErrorsAreLeftToTheNextHandler() {
    MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/"));
    IllegalStateException other = new IllegalStateException("not a call error");
    StepVerifier.create(new ActorErrorWebExceptionHandler(mapper).handle(exchange, other))
        .expectErrorMatches(e -> e == other)
        .verify();
  }
}
