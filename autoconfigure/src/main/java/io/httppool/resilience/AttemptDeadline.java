package io.httppool.resilience;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import io.netty.util.Timeout;
import io.netty.util.TimerTask;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.Scannable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoOperator;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

import org.springframework.web.reactive.function.client.ClientResponse;

/**
 * What is left of a call's deadline, applied to one attempt until its response arrives,
 * as one operator and one subscriber that is itself the {@link DeadlineTimer}'s task. It
 * behaves as {@code Mono.timeout(remaining, Mono.error(deadline exceeded), timer)} did:
 * the response (its headers) or a failure ends it, and when the time is up first the
 * attempt is cancelled and fails with the
 * {@link io.httppool.HttpPoolDeadlineExceededException} of that moment, on the timer's
 * thread. {@code Mono.timeout} cost a {@code Duration}, a supplier, a fallback
 * {@code Mono}, a {@code Mono.delay} with its runnable, the timer's task wrapper, a
 * serializing subscriber and a subscriber for the delay on every attempt.
 */
final class AttemptDeadline extends MonoOperator<ClientResponse, ClientResponse> {

	private final CallState call;

	private final long remainingNanos;

	private final DeadlineTimer timer;

	private AttemptDeadline(Mono<ClientResponse> attempt, CallState call, long remainingNanos, DeadlineTimer timer) {
		super(attempt);
		this.call = call;
		this.remainingNanos = remainingNanos;
		this.timer = timer;
	}

	static Mono<ClientResponse> of(Mono<ClientResponse> attempt, CallState call, long remainingNanos,
			DeadlineTimer timer) {
		return onAssembly(new AttemptDeadline(attempt, call, remainingNanos, timer));
	}

	@Override
	public void subscribe(CoreSubscriber<? super ClientResponse> actual) {
		this.source.subscribe(new DeadlineSubscriber(actual, this));
	}

	private static final class DeadlineSubscriber
			implements CoreSubscriber<ClientResponse>, Subscription, TimerTask, Runnable, Scannable {

		private static final int RUNNING = 0;

		private static final int RESPONDED = 1;

		// failed, cancelled, or cut short by the deadline
		private static final int ENDED = 2;

		private static final AtomicIntegerFieldUpdater<DeadlineSubscriber> STATE = AtomicIntegerFieldUpdater
			.newUpdater(DeadlineSubscriber.class, "state");

		private final CoreSubscriber<? super ClientResponse> actual;

		private final AttemptDeadline deadline;

		private @Nullable Subscription upstream;

		private volatile int state;

		private volatile @Nullable Timeout timeout;

		// the deadline's task once the timer was stopped with the application
		private volatile @Nullable Disposable fallback;

		DeadlineSubscriber(CoreSubscriber<? super ClientResponse> actual, AttemptDeadline deadline) {
			this.actual = actual;
			this.deadline = deadline;
		}

		@Override
		public void onSubscribe(Subscription subscription) {
			if (!Operators.validate(this.upstream, subscription)) {
				return;
			}
			this.upstream = subscription;
			this.actual.onSubscribe(this);
			if (this.state != RUNNING) {
				return;
			}
			long nanos = this.deadline.remainingNanos;
			Timeout timeout = this.deadline.timer.arm(this, nanos);
			if (timeout != null) {
				this.timeout = timeout;
			}
			else {
				// stopped with the application context, while calls made during its
				// shutdown still run: their deadlines still hold
				this.fallback = Schedulers.parallel().schedule(this, nanos, TimeUnit.NANOSECONDS);
			}
			if (this.state != RUNNING) {
				disarm();
			}
		}

		@Override
		public void onNext(ClientResponse response) {
			if (STATE.compareAndSet(this, RUNNING, RESPONDED)) {
				disarm();
				this.actual.onNext(response);
			}
			else {
				// the deadline came first and cancelled the attempt: free the connection
				Operators.onDiscard(response, currentContext());
			}
		}

		@Override
		public void onError(Throwable failure) {
			if (STATE.compareAndSet(this, RUNNING, ENDED)) {
				disarm();
				this.actual.onError(failure);
			}
			else {
				Operators.onErrorDropped(failure, currentContext());
			}
		}

		@Override
		public void onComplete() {
			if (this.state == RESPONDED || STATE.compareAndSet(this, RUNNING, ENDED)) {
				disarm();
				this.actual.onComplete();
			}
		}

		// the deadline, on the timer's thread
		@Override
		public void run(Timeout timeout) {
			run();
		}

		@Override
		public void run() {
			if (STATE.compareAndSet(this, RUNNING, ENDED)) {
				Subscription upstream = this.upstream;
				if (upstream != null) {
					upstream.cancel();
				}
				AttemptDeadline deadline = this.deadline;
				this.actual.onError(deadline.call.policy.deadlineExceeded(deadline.call));
			}
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
			this.state = ENDED;
			disarm();
			Subscription upstream = this.upstream;
			if (upstream != null) {
				upstream.cancel();
			}
		}

		private void disarm() {
			Timeout timeout = this.timeout;
			if (timeout != null) {
				timeout.cancel();
			}
			Disposable fallback = this.fallback;
			if (fallback != null) {
				fallback.dispose();
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
				return this.state == RESPONDED;
			}
			if (key == Attr.CANCELLED) {
				return this.state == ENDED;
			}
			if (key == Attr.RUN_STYLE) {
				return Attr.RunStyle.ASYNC;
			}
			return null;
		}

	}

}
