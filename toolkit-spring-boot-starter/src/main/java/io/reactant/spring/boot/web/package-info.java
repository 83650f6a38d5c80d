/**
 * HTTP ingress over WebFlux: the generic actor endpoints ({@code GET /actors},
 * {@code POST /actors/{type}/{id}/{method}}), the JSON mapping of arguments and results, the
 * mapping of reject codes to HTTP statuses, the caller identity of an ingress call, and the
 * strict reading of input and the {@code {"message"}} body of client errors that an application's
 * own handlers may opt into ({@code reactant.http.strict-input.enabled},
 * {@code reactant.http.error-bodies.enabled}).
 */
@NullMarked
package io.reactant.spring.boot.web;

import org.jspecify.annotations.NullMarked;
