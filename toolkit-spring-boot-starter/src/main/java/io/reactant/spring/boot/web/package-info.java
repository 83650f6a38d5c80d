/**
 * HTTP ingress over WebFlux: the generic actor endpoints ({@code GET /actors},
 * {@code POST /actors/{type}/{id}/{method}}), the JSON mapping of arguments and results, the
 * mapping of reject codes to HTTP statuses, and the caller identity of an ingress call.
 */
@NullMarked
package io.reactant.spring.boot.web;

import org.jspecify.annotations.NullMarked;
