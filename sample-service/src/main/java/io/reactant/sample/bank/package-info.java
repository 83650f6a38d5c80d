/**
 * Bank accounts: one actor per account; a transfer debits, awaits the credit of the other
 * account, and refunds when the credit fails, so that money is never created nor lost.
 */
@NullMarked
package io.reactant.sample.bank;

import org.jspecify.annotations.NullMarked;
