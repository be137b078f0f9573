package io.httppool;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Scannable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoOperator;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.ClientResponse;

/**
 * One attempt of a {@code WebClient} exchange as the {@link ClientGuard} sees it: each
 * subscription is an attempt (a retry subscribes again), which starts when subscribed and
 * ends with the response (its headers) or a failure, handed to the client's
 * {@link Attempts}; a failure reaches the caller typed. It is the guard's only operator,
 * in place of {@code onErrorMap} (which costs an operator, a subscriber and two capturing
 * lambdas per attempt): one operator and one subscriber, whose fields hold what a lambda
 * would have captured. An attempt cancelled before it ends is not reported.
 */
final class GuardedAttempt extends MonoOperator<ClientResponse, ClientResponse> {

	private final ClientGuard guard;

	private final HttpMethod method;

	private GuardedAttempt(Mono<ClientResponse> exchange, ClientGuard guard, HttpMethod method) {
		super(exchange);
		this.guard = guard;
		this.method = method;
	}

	static Mono<ClientResponse> of(Mono<ClientResponse> exchange, ClientGuard guard, HttpMethod method) {
		return onAssembly(new GuardedAttempt(exchange, guard, method));
	}

	@Override
	public void subscribe(CoreSubscriber<? super ClientResponse> actual) {
		this.source.subscribe(new AttemptSubscriber(actual, this.guard, this.method));
	}

	private static final class AttemptSubscriber implements CoreSubscriber<ClientResponse>, Subscription, Scannable {

		private final CoreSubscriber<? super ClientResponse> actual;

		private final ClientGuard guard;

		private final HttpMethod method;

		private final long start;

		private @Nullable Subscription upstream;

		private boolean done;

		AttemptSubscriber(CoreSubscriber<? super ClientResponse> actual, ClientGuard guard, HttpMethod method) {
			this.actual = actual;
			this.guard = guard;
			this.method = method;
			this.start = guard.attempts().started();
		}

		@Override
		public void onSubscribe(Subscription subscription) {
			if (Operators.validate(this.upstream, subscription)) {
				this.upstream = subscription;
				this.actual.onSubscribe(this);
			}
		}

		@Override
		public void onNext(ClientResponse response) {
			if (this.done) {
				Operators.onNextDropped(response, currentContext());
				return;
			}
			this.done = true;
			this.guard.attempts().responded(this.method, response.statusCode().value(), this.start);
			this.actual.onNext(response);
		}

		@Override
		public void onError(Throwable failure) {
			if (this.done) {
				Operators.onErrorDropped(failure, currentContext());
				return;
			}
			this.done = true;
			this.guard.attempts().failed(this.method, failure, this.start);
			this.actual.onError(this.guard.typed(failure));
		}

		@Override
		public void onComplete() {
			this.done = true;
			this.actual.onComplete();
		}

		@Override
		public void request(long n) {
			Subscription upstream = this.upstream;
			if (upstream != null) {
				upstream.request(n);
			}
		}

		@Override
		public void cancel() {
			Subscription upstream = this.upstream;
			if (upstream != null) {
				upstream.cancel();
			}
		}

		@Override
		public Context currentContext() {
			return this.actual.currentContext();
		}

		@Override
		public @Nullable Object scanUnsafe(Attr key) {
			if (key == Attr.PARENT) {
				return this.upstream;
			}
			if (key == Attr.ACTUAL) {
				return this.actual;
			}
			if (key == Attr.TERMINATED) {
				return this.done;
			}
			if (key == Attr.RUN_STYLE) {
				return Attr.RunStyle.SYNC;
			}
			return null;
		}

	}

}
