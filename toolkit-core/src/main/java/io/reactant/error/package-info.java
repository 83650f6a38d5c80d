/**
 * Errors of the toolkit: one root ({@link io.reactant.error.ReactantException}), the error a call
 * fails with ({@link io.reactant.error.CallError}, carrying an Internet Computer
 * {@link io.reactant.error.RejectCode}), and the exceptions that signal a broken rule.
 */
@NullMarked
package io.reactant.error;

import org.jspecify.annotations.NullMarked;
