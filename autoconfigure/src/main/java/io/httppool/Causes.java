package io.httppool;

import java.util.Iterator;
import java.util.NoSuchElementException;

import org.jspecify.annotations.Nullable;

/**
 * The one walker of cause chains, for the client guard, the failure classifier and the
 * meters: a failure, its cause, the cause's cause, and so on, at most {@value #MAX_DEPTH}
 * of them and never around a cycle. Used on failure paths only.
 *
 * @author http-pool team
 * @since 0.2.0
 */
public final class Causes implements Iterable<Throwable> {

	/**
	 * How many exceptions of a chain are looked at, the failure itself included.
	 */
	public static final int MAX_DEPTH = 16;

	private final Throwable failure;

	private Causes(Throwable failure) {
		this.failure = failure;
	}

	/**
	 * The cause chain of a failure, the failure first.
	 * @param failure the failure
	 * @return its chain
	 */
	public static Causes of(Throwable failure) {
		return new Causes(failure);
	}

	/**
	 * Return the first exception of the chain of the given type.
	 * @param <T> the type
	 * @param failure the failure
	 * @param type the type to look for
	 * @return the exception, or {@code null}
	 */
	public static <T extends Throwable> @Nullable T find(Throwable failure, Class<T> type) {
		for (Throwable candidate : of(failure)) {
			if (type.isInstance(candidate)) {
				return type.cast(candidate);
			}
		}
		return null;
	}

	@Override
	public Iterator<Throwable> iterator() {
		return new Iterator<>() {

			private @Nullable Throwable next = Causes.this.failure;

			private int depth;

			@Override
			public boolean hasNext() {
				return this.next != null && this.depth < MAX_DEPTH;
			}

			@Override
			public Throwable next() {
				Throwable current = this.next;
				if (current == null || this.depth >= MAX_DEPTH) {
					throw new NoSuchElementException();
				}
				this.depth++;
				Throwable cause = current.getCause();
				this.next = (cause != current) ? cause : null;
				return current;
			}

		};
	}

}
