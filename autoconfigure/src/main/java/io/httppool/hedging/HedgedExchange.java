package io.httppool.hedging;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.netty.channel.Channel;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.netty.Connection;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;

/**
 * The race of one hedged attempt: the first attempt, a timer, and the hedge the timer
 * sends if the budget allows it. The first answer (any response) wins and the other
 * attempt is cancelled; a response that still arrives for the loser is released. A
 * failure ends the race only when no other attempt can answer: a failure of the first
 * attempt before the hedge was sent fails at once (the retry filter decides what comes
 * next), a failure of one of two attempts waits for the other. The state is guarded by
 * this object's monitor, held only for a few field updates, never while calling out.
 *
 * <p>
 * A loser is cancelled on the event loop of its connection, and only while its response
 * has not arrived. Cancelled from any other thread, the cancel can overtake a response
 * that already arrived: Spring's connector then disposes the loser's connection after
 * Reactor Netty gave it back to the pool, and closes it under the next request that
 * leased it ({@code PrematureCloseException}), a call that had nothing to do with the
 * hedge. On its event loop the cancel either comes before the response (the loser's
 * connection is closed, or its HTTP/2 stream reset, and nothing else) or finds the
 * attempt answered, and the late response is released like any other.
 */
final class HedgedExchange {

	private final HedgingExchangeFilter filter;

	private final ClientRequest request;

	private final ExchangeFunction next;

	private final MonoSink<ClientResponse> sink;

	private final Attempt first = new Attempt();

	private @Nullable Attempt hedge;

	private @Nullable Disposable timer;

	private boolean done;

	// written before the first attempt and the timer start
	private long delayNanos;

	HedgedExchange(HedgingExchangeFilter filter, ClientRequest request, ExchangeFunction next,
			MonoSink<ClientResponse> sink) {
		this.filter = filter;
		this.request = request;
		this.next = next;
		this.sink = sink;
	}

	void start(long delayNanos) {
		this.delayNanos = delayNanos;
		// the first attempt's clock starts with the race, just before it is sent
		this.sink.onCancel(this::cancel);
		this.first.send();
		Disposable timer = Schedulers.parallel().schedule(this::sendHedge, delayNanos, TimeUnit.NANOSECONDS);
		boolean cancelTimer;
		synchronized (this) {
			this.timer = timer;
			cancelTimer = this.done;
		}
		if (cancelTimer) {
			timer.dispose();
		}
	}

	private void sendHedge() {
		synchronized (this) {
			if (this.done) {
				return;
			}
		}
		if (!this.filter.tryAcquireHedge()) {
			return;
		}
		Attempt hedge = new Attempt();
		synchronized (this) {
			if (this.done) {
				return;
			}
			this.hedge = hedge;
		}
		hedge.send();
	}

	private void answered(Attempt winner, ClientResponse response) {
		boolean late;
		Attempt loser = null;
		Disposable timer = null;
		synchronized (this) {
			late = this.done;
			if (!late) {
				this.done = true;
				winner.finished = true;
				loser = (winner == this.first) ? this.hedge : this.first;
				timer = this.timer;
			}
		}
		if (late) {
			// answered after the race was decided (or the caller left): give the
			// connection back
			response.releaseBody().subscribe();
			return;
		}
		if (timer != null) {
			timer.dispose();
		}
		this.filter.record(System.nanoTime() - winner.startNanos);
		if (winner != this.first) {
			this.filter.hedgeWon();
		}
		if (loser != null && loser.cancelIfRunning()) {
			// a lower bound: the loser did not answer within the delay. Not the time
			// until it was cancelled (delay + the winner's time): with those the p95 of
			// an upstream with 5 % slow answers sits on the losers and ratchets up by
			// the winner's time whenever the slow share of the window exceeds 5 %
			this.filter.record(Math.min(System.nanoTime() - loser.startNanos, this.delayNanos));
		}
		this.sink.success(response);
	}

	private void failed(Attempt attempt, Throwable failure) {
		Disposable timer = null;
		synchronized (this) {
			if (this.done) {
				return;
			}
			attempt.finished = true;
			Attempt other = (attempt == this.first) ? this.hedge : this.first;
			if (other != null && !other.finished) {
				// the other attempt may still answer
				return;
			}
			this.done = true;
			timer = this.timer;
		}
		if (timer != null) {
			timer.dispose();
		}
		this.sink.error(failure);
	}

	private void cancel() {
		Attempt hedge;
		Disposable timer;
		synchronized (this) {
			if (this.done) {
				return;
			}
			this.done = true;
			hedge = this.hedge;
			timer = this.timer;
		}
		if (timer != null) {
			timer.dispose();
		}
		this.first.cancelIfRunning();
		if (hedge != null) {
			hedge.cancelIfRunning();
		}
	}

	/**
	 * One attempt of the race.
	 */
	private final class Attempt extends BaseSubscriber<ClientResponse> implements Consumer<ClientHttpRequest> {

		// set before the attempt is published to the race's other threads (under its
		// monitor, or as a final field of the race)
		final long startNanos = System.nanoTime();

		// guarded by the race's monitor
		boolean finished;

		// guarded by the race's monitor: the channel the request is written to, once
		// it is, and whether the attempt lost before that
		private @Nullable Channel channel;

		private boolean lost;

		// written and read on the attempt's event loop once it has a channel
		private volatile boolean answered;

		void send() {
			ClientRequest request = ClientRequest.from(HedgedExchange.this.request).httpRequest(this).build();
			HedgedExchange.this.next.exchange(request).subscribe(this);
		}

		/**
		 * Called on the event loop of the connection, just before the request is written.
		 */
		@Override
		public void accept(ClientHttpRequest request) {
			Channel channel = (request.getNativeRequest() instanceof Connection connection) ? connection.channel()
					: null;
			boolean lost;
			synchronized (HedgedExchange.this) {
				this.channel = channel;
				lost = this.lost;
			}
			if (lost) {
				// lost while acquiring its connection: no response can be on its way
				cancel();
			}
		}

		/**
		 * Cancel the attempt unless it already ended.
		 * @return whether it was still running
		 */
		boolean cancelIfRunning() {
			boolean running;
			Channel channel;
			synchronized (HedgedExchange.this) {
				running = !this.finished;
				this.finished = true;
				this.lost = true;
				channel = this.channel;
			}
			if (running) {
				if (channel == null) {
					// not written yet (acquiring or connecting): no response to overtake;
					// accept() cancels it should the write start meanwhile
					cancel();
				}
				else {
					channel.eventLoop().execute(this::cancelUnlessAnswered);
				}
			}
			return running;
		}

		private void cancelUnlessAnswered() {
			if (!this.answered) {
				cancel();
			}
		}

		@Override
		public Context currentContext() {
			return Context.of(HedgedExchange.this.sink.contextView());
		}

		@Override
		protected void hookOnSubscribe(Subscription subscription) {
			subscription.request(1);
		}

		@Override
		protected void hookOnNext(ClientResponse response) {
			this.answered = true;
			answered(this, response);
		}

		@Override
		protected void hookOnError(Throwable failure) {
			failed(this, failure);
		}

		@Override
		protected void hookOnComplete() {
			if (!this.answered) {
				failed(this, new IllegalStateException("HTTP pool '" + HedgedExchange.this.filter.clientName()
						+ "': an attempt ended without a response"));
			}
		}

	}

}
