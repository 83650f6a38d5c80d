/**
 * INTERNAL API: the machinery of the runtime (mailboxes, turns, proxies, futures, the commit
 * step). The classes in this package may change at any time, without notice, and are not
 * supported: user code never imports them.
 */
@NullMarked
package io.reactant.internal;

import org.jspecify.annotations.NullMarked;
