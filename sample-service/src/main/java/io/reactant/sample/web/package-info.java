/** What the REST controllers of every feature share: input checks and error responses. */
@NullMarked
package io.reactant.sample.web;

import org.jspecify.annotations.NullMarked;
