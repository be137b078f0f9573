package io.httppool.benchmarks.load;

import java.util.List;

import io.httppool.benchmarks.StarterContext.Layers;

/**
 * The clients the harness knows, by the id used on the command line and in the results.
 * {@code h2load} is not a JVM client: the harness runs the binary itself.
 *
 * @author http-pool team
 */
final class ClientCatalog {

	static final String H2LOAD = "h2load";

	static final String NEW_CLIENT_PER_REQUEST = "new-client-per-request";

	static final String STARTER_WEBCLIENT = "starter-webclient";

	/**
	 * Every client of the main matrix, in the order of the first round.
	 */
	static final List<String> ALL = List.of("reactor-netty", "webclient", "boot-webclient", STARTER_WEBCLIENT,
			"starter-webclient-bare", "starter-restclient", "starter-restclient-bare", "jdk", "apache-async", "jetty",
			"okhttp", H2LOAD);

	private ClientCatalog() {
	}

	static String label(String id) {
		return switch (id) {
			case "reactor-netty" -> "raw Reactor Netty HttpClient";
			case "webclient" -> "plain Spring WebClient (same pool)";
			case "boot-webclient" -> "Boot's auto-configured WebClient (same pool)";
			case STARTER_WEBCLIENT -> "http-pool WebClient, defaults";
			case "starter-webclient-bare" -> "http-pool WebClient, bare";
			case "starter-restclient" -> "http-pool RestClient, defaults";
			case "starter-restclient-bare" -> "http-pool RestClient, bare";
			case "jdk" -> "JDK HttpClient";
			case "apache-async" -> "Apache HttpClient 5 async";
			case "jetty" -> "Jetty 12.1 HttpClient";
			case "okhttp" -> "OkHttp 4.12";
			case H2LOAD -> "h2load (ceiling)";
			case NEW_CLIENT_PER_REQUEST -> "new WebClient + TLS handshake per request";
			default -> id;
		};
	}

	static LoadClient create(String id, Target target) throws Exception {
		return switch (id) {
			case "reactor-netty" -> ReactorClients.raw(target);
			case "webclient" -> ReactorClients.plainWebClient(target);
			case "boot-webclient" -> ReactorClients.bootWebClient(target);
			case STARTER_WEBCLIENT -> ReactorClients.starterWebClient(target, Layers.DEFAULTS);
			case "starter-webclient-bare" -> ReactorClients.starterWebClient(target, Layers.BARE);
			case "starter-restclient" -> ReactorClients.starterRestClient(target, Layers.DEFAULTS);
			case "starter-restclient-bare" -> ReactorClients.starterRestClient(target, Layers.BARE);
			case "jdk" -> PeerClients.jdk(target);
			case "apache-async" -> PeerClients.apache(target);
			case "jetty" -> PeerClients.jetty(target);
			case "okhttp" -> PeerClients.okHttp(target);
			case NEW_CLIENT_PER_REQUEST -> ReactorClients.newClientPerRequest(target);
			default -> throw new IllegalArgumentException("Unknown client " + id + "; known: " + ALL);
		};
	}

}
