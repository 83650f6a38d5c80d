package io.reactant.spring.boot.web;


/**
 * The limits the HTTP ingress applies to each call.
 *
 * @param basePath the path of the actor endpoints, for example {@code /actors}: a literal path,
 *     never a pattern: {@code /} and one or more segments separated by {@code /}, each of ASCII
 *     letters, digits and {@code -._~} (the characters a URI path never encodes) and neither
 *     {@code .} nor {@code ..}. Anything else would be read as a route pattern ({@code {tenant}},
 *     {@code *}, {@code ?}), fail to parse as one ({@code **}), or never equal a request's path,
 *     which the client encodes ({@code %20}, a letter outside ASCII) or normalizes ({@code //},
 *     {@code .}, {@code ;})
 * @param maxRequestBody the largest request body accepted, in bytes (413 above)
 * @param maxIdLength the longest actor id accepted in a path, in characters (code points; 400
 *     above)
 */
public record IngressSettings(String basePath, long maxRequestBody, int maxIdLength) {

  /**
   * @throws IllegalArgumentException if {@code basePath} is no literal path, {@code
   *     maxRequestBody} is not between 0 and {@link Integer#MAX_VALUE}, or {@code maxIdLength} is
   *     below 1
   */
  public IngressSettings {
    if (!isLiteralPath(basePath)) {
      throw new IllegalArgumentException("The base path must start with '/' and not end with it,"
          + " and be segments of letters, digits and '-._~' separated by '/', none of them . or"
          + " ..: " + basePath);
    }
    if (maxRequestBody < 0 || maxRequestBody > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("The maximum request body must be between 0 and "
          + Integer.MAX_VALUE + " bytes: " + maxRequestBody);
    }
    if (maxIdLength < 1) {
      throw new IllegalArgumentException("The maximum id length must be at least 1: " + maxIdLength);
    }
  }

  /** Whether {@code path} is a literal base path, as {@code basePath} above says. */
  private static boolean isLiteralPath(String path) {
    if (!path.startsWith("/") || path.endsWith("/")) {
      return false;
    }
    for (String segment : path.substring(1).split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        return false;
      }
      for (int i = 0; i < segment.length(); i++) {
        char c = segment.charAt(i);
        boolean unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
            || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
        if (!unreserved) {
          return false;
        }
      }
    }
    return true;
  }
}
