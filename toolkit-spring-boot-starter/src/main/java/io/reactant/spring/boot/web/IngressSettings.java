package io.reactant.spring.boot.web;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The limits the HTTP ingress applies to each call.
 *
 * @param basePath the path of the actor endpoints, for example {@code /actors}
 * @param maxRequestBody the largest request body accepted, in bytes (413 above)
 * @param mailboxCapacity the number of queued messages above which an actor refuses ingress calls
 *     with reject code 2 (503); null for no limit
 * @param callTimeout how long an ingress call waits for its reply before it fails with reject
 *     code 6 (504), while the actor may still run it; null to wait as long as it takes
 */
public record IngressSettings(String basePath, long maxRequestBody, @Nullable Integer mailboxCapacity,
    @Nullable Duration callTimeout) {

  public IngressSettings {
    if (!basePath.startsWith("/") || basePath.endsWith("/")) {
      throw new IllegalArgumentException("The base path must start with '/' and not end with it: "
          + basePath);
    }
    if (maxRequestBody < 0 || maxRequestBody > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("The maximum request body must be between 0 and "
          + Integer.MAX_VALUE + " bytes: " + maxRequestBody);
    }
  }
}
