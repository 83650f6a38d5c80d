/** Who may do what: HTTP Basic with demo users; transfers need an authenticated user. */
@NullMarked
package io.reactant.sample.security;

import org.jspecify.annotations.NullMarked;
