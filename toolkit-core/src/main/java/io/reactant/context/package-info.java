/**
 * Context propagation over a tracing library: {@link MicrometerContextPropagation}, an {@link
 * io.reactant.actor.ContextPropagation} over Micrometer's {@code context-propagation}.
 *
 * <p>That library is an optional dependency of toolkit-core: only this package uses it, and only
 * when the application names a class of it, so a system without it on the classpath runs as ever.
 */
@NullMarked
package io.reactant.context;

import org.jspecify.annotations.NullMarked;
