package io.reactant.spring.boot.autoconfigure;

/**
 * A startup refused because of the starter's configuration, with what to do about it: its message
 * says both (the description, then the action), for a log without Spring Boot's failure analysis;
 * {@link StarterMisconfigurationFailureAnalyzer} reports them as Spring Boot's other analyses do,
 * instead of a stack trace.
 */
final class StarterMisconfiguration extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  private final String description;
  private final String action;

  /**
   * @param description what is wrong, naming the property or the bean
   * @param action what the application does to start
   */
  StarterMisconfiguration(String description, String action) {
    super(description + ": " + action);
    this.description = description;
    this.action = action;
  }

  String description() {
    return description;
  }

  String action() {
    return action;
  }
}
