package io.httppool.resilience;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * Base of the test classes that run against one WireMock server (Jetty, HTTP/1.1 and h2c)
 * on a port chosen by the OS: started once per class, reset before each test, stopped
 * after the class.
 */
abstract class WireMockTests {

	static WireMockServer server;

	@BeforeAll
	static void startWireMock() {
		// enough request threads for the concurrent load of the budget tests
		server = new WireMockServer(options().dynamicPort().containerThreads(40));
		server.start();
	}

	@AfterAll
	static void stopWireMock() {
		server.stop();
	}

	@BeforeEach
	void resetWireMock() {
		server.resetAll();
	}

}
