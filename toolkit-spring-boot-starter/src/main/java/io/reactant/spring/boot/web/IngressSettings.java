package io.reactant.spring.boot.web;


/**
 * The limits the HTTP ingress applies to each call.
 *
 * @param basePath the path of the actor endpoints, for example {@code /actors}
 * @param maxRequestBody the largest request body accepted, in bytes (413 above)
 * @param maxIdLength the longest actor id accepted in a path, in characters (code points; 400
 *     above)
 */
public record IngressSettings(String basePath, long maxRequestBody, int maxIdLength) {

  public IngressSettings {
    if (!basePath.startsWith("/") || basePath.endsWith("/")) {
      throw new IllegalArgumentException("The base path must start with '/' and not end with it: "
          + basePath);
    }
    if (maxRequestBody < 0 || maxRequestBody > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("The maximum request body must be between 0 and "
          + Integer.MAX_VALUE + " bytes: " + maxRequestBody);
    }
    if (maxIdLength < 1) {
      throw new IllegalArgumentException("The maximum id length must be at least 1: " + maxIdLength);
    }
  }
}
