package io.httppool.resilience;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.retry.Retry;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoOperator;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

import org.springframework.web.reactive.function.client.ClientResponse;

/**
 * Resilience4j's retry of one {@code WebClient} call as one operator and one subscriber.
 * Resilience4j's {@code RetryOperator} assembles {@code doOnNext}, {@code retryWhen}
 * (whose subscription builds a companion sink, a {@code concatMap}, a serializer and a
 * {@code flatMap}) and {@code doOnSuccess} for every call, about 1.5 KB before the first
 * attempt is sent, and the typed failure needed one more {@code onErrorMap}. What is
 * retried and when stays Resilience4j's: this operator drives the call's
 * {@link Retry.AsyncContext}, the API Resilience4j's own Reactor and RxJava operators
 * drive, exactly as {@code RetryOperator} does (a response goes to
 * {@link Retry.AsyncContext#onResult}, a failure to {@link Retry.AsyncContext#onError},
 * the end of the call to {@link Retry.AsyncContext#onComplete}, so its counters, events,
 * predicates and interval function apply unchanged), and subscribes to the attempt again
 * after the wait the context returns, on {@code Schedulers.parallel()} like
 * {@code RetryOperator}'s {@code Mono.delay}. A failure reaches the caller unwrapped from
 * its {@link AttemptFailure}. Per call it costs this subscriber, the context and one
 * small subscriber per attempt.
 */
final class RetriedCall extends MonoOperator<ClientResponse, ClientResponse> {

	private final Retry retry;

	private RetriedCall(Mono<ClientResponse> attempt, Retry retry) {
		super(attempt);
		this.retry = retry;
	}

	/**
	 * Retry the given attempt, which is subscribed to once per attempt.
	 */
	static Mono<ClientResponse> of(Mono<ClientResponse> attempt, Retry retry) {
		return onAssembly(new RetriedCall(attempt, retry));
	}

	@Override
	public void subscribe(CoreSubscriber<? super ClientResponse> actual) {
		Call call = new Call(actual, this.source, this.retry.asyncContext());
		actual.onSubscribe(call);
		call.run();
	}

	/**
	 * The call: emits its outcome to the caller, and starts each attempt when
	 * {@link #run() run}.
	 */
	private static final class Call extends Operators.MonoSubscriber<ClientResponse, ClientResponse>
			implements Runnable {

		private final Mono<? extends ClientResponse> attempt;

		private final Retry.AsyncContext<ClientResponse> context;

		// the running attempt's subscription, or the wait before the next attempt
		private volatile @Nullable Subscription upstream;

		private volatile @Nullable Disposable wait;

		Call(CoreSubscriber<? super ClientResponse> actual, Mono<? extends ClientResponse> attempt,
				Retry.AsyncContext<ClientResponse> context) {
			super(actual);
			this.attempt = attempt;
			this.context = context;
		}

		@Override
		public void run() {
			if (!isCancelled()) {
				this.attempt.subscribe(new Attempt(this));
			}
		}

		void subscribed(Subscription subscription) {
			this.upstream = subscription;
			if (isCancelled()) {
				subscription.cancel();
			}
			else {
				subscription.request(Long.MAX_VALUE);
			}
		}

		void responded(Subscription subscription, ClientResponse response) {
			long delay;
			try {
				delay = this.context.onResult(response);
			}
			catch (RuntimeException ex) {
				// as from RetryOperator's doOnNext: the attempt is cancelled and the
				// failure goes to the retry
				subscription.cancel();
				failed(ex);
				return;
			}
			if (delay == -1) {
				this.context.onComplete();
				complete(response);
				return;
			}
			// as RetryOperator does: the response is dropped (the retry rules released
			// its body) and the attempt cancelled
			subscription.cancel();
			retryAfter(delay);
		}

		void failed(Throwable failure) {
			if (failure instanceof Error) {
				// RetryOperator rethrows an Error without asking the context
				Exceptions.throwIfJvmFatal(failure);
				this.actual.onError(failure);
				return;
			}
			long delay = this.context.onError(failure);
			if (delay == -1) {
				if (!isCancelled()) {
					this.actual.onError(ResiliencePolicy.unwrap(failure));
				}
				return;
			}
			retryAfter(delay);
		}

		void completedEmpty() {
			this.context.onComplete();
			if (!isCancelled()) {
				this.actual.onComplete();
			}
		}

		private void retryAfter(long delayMillis) {
			if (isCancelled()) {
				return;
			}
			Scheduler scheduler = Schedulers.parallel();
			try {
				this.wait = scheduler.schedule(this, delayMillis, TimeUnit.MILLISECONDS);
			}
			catch (RejectedExecutionException ex) {
				this.actual.onError(Operators.onRejectedExecution(ex, this.actual.currentContext()));
				return;
			}
			if (isCancelled()) {
				disposeWait();
			}
		}

		@Override
		public void cancel() {
			super.cancel();
			Subscription upstream = this.upstream;
			if (upstream != null) {
				upstream.cancel();
			}
			disposeWait();
		}

		private void disposeWait() {
			Disposable wait = this.wait;
			if (wait != null) {
				wait.dispose();
			}
		}

		@Override
		public @Nullable Object scanUnsafe(Attr key) {
			if (key == Attr.PARENT) {
				return this.upstream;
			}
			if (key == Attr.RUN_STYLE) {
				return Attr.RunStyle.SYNC;
			}
			return super.scanUnsafe(key);
		}

	}

	/**
	 * One attempt of the call; signals of an attempt the call gave up are dropped.
	 */
	private static final class Attempt implements CoreSubscriber<ClientResponse> {

		private final Call call;

		private @Nullable Subscription subscription;

		private boolean done;

		Attempt(Call call) {
			this.call = call;
		}

		@Override
		public Context currentContext() {
			return this.call.actual().currentContext();
		}

		@Override
		public void onSubscribe(Subscription subscription) {
			if (Operators.validate(this.subscription, subscription)) {
				this.subscription = subscription;
				this.call.subscribed(subscription);
			}
		}

		@Override
		public void onNext(ClientResponse response) {
			Subscription subscription = this.subscription;
			if (this.done || subscription == null) {
				Operators.onNextDropped(response, currentContext());
				return;
			}
			this.done = true;
			this.call.responded(subscription, response);
		}

		@Override
		public void onError(Throwable failure) {
			if (this.done) {
				Operators.onErrorDropped(failure, currentContext());
				return;
			}
			this.done = true;
			this.call.failed(failure);
		}

		@Override
		public void onComplete() {
			if (!this.done) {
				this.done = true;
				this.call.completedEmpty();
			}
		}

	}

}
