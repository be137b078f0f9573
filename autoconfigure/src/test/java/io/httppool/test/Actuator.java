package io.httppool.test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;

/**
 * Calls actuator endpoints of an application running on a local port, over real HTTP,
 * with the JDK's client (independent of the pools under test).
 */
public final class Actuator {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final int port;

	public Actuator(int port) {
		this.port = port;
	}

	/**
	 * GET the given actuator path.
	 * @param path the path below {@code /actuator}, for example {@code /health}
	 * @return the response
	 */
	public Response get(String path) {
		return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator" + path))
			.timeout(Duration.ofSeconds(10))
			.GET()
			.build());
	}

	/**
	 * POST a JSON body to the given actuator path.
	 * @param path the path below {@code /actuator}, for example {@code /httppools/stt}
	 * @param json the body
	 * @return the response
	 */
	public Response post(String path, String json) {
		return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator" + path))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build());
	}

	private Response send(HttpRequest request) {
		try {
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.body());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * GET {@code /actuator/prometheus}.
	 * @return the scrape
	 */
	public PrometheusScrape scrape() {
		Response response = get("/prometheus");
		if (response.status() != 200) {
			throw new AssertionError("Scrape answered " + response);
		}
		return new PrometheusScrape(response.body());
	}

	/**
	 * An HTTP response.
	 *
	 * @param status the status code
	 * @param body the body
	 */
	public record Response(int status, String body) {

		public DocumentContext json() {
			return JsonPath.parse(this.body);
		}

		public <T> T read(String jsonPath) {
			return JsonPath.read(this.body, jsonPath);
		}

	}

}
