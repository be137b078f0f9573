package io.httppool.sample;

import io.httppool.HttpPoolClients;
import io.httppool.HttpPoolState;
import io.httppool.sample.simulator.SttSimulator;
import io.httppool.sample.transcription.Transcription;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * All chunks of an upload, sent at once, travel as concurrent streams of one HTTP/2
 * connection: counted by the simulator on the server side and by the pool on the client
 * side.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.upstream.real-time-factor=0.05", "sample.max-parallel-chunks=8" })
@DirtiesContext
class SingleConnectionTests {

	@LocalServerPort
	private int port;

	@Autowired
	private SttSimulator simulator;

	@Autowired
	private HttpPoolClients clients;

	@Test
	void eightChunksSentAtOnceShareOneHttp2Connection() {
		Transcription transcription = Uploads.transcribe(this.port, TestAudio.bursts(120));
		assertThat(transcription.chunks()).isEqualTo(8);
		assertThat(transcription.upstream().protocol()).isEqualTo("HTTP/2.0");

		SttSimulator.Stats seen = this.simulator.stats();
		assertThat(seen.connectionsAccepted()).isEqualTo(1);
		assertThat(seen.requestsByProtocol()).containsExactly(java.util.Map.entry("HTTP/2.0", 8));
		assertThat(seen.maxConcurrentRequests()).as("streams in flight together").isGreaterThan(1);
		assertThat(seen.idempotencyKeys()).as("one Idempotency-Key per chunk").isEqualTo(8);

		HttpPoolState pool = this.clients.get("transcription").state();
		assertThat(pool.http2()).isTrue();
		assertThat(pool.connectionsOpened()).isEqualTo(1);
		assertThat(pool.requests()).isEqualTo(8);
	}

}
