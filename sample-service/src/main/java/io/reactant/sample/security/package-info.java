/**
 * Who may do what: HTTP Basic with demo users; transfers need an authenticated user, the
 * actuator's endpoints an operator.
 */
@NullMarked
package io.reactant.sample.security;

import org.jspecify.annotations.NullMarked;
