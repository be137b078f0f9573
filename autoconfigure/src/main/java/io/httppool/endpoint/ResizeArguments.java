package io.httppool.endpoint;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.httppool.autoconfigure.HttpPoolResizer;

import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.OperationType;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvoker;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvokerAdvisor;
import org.springframework.boot.actuate.endpoint.invoke.OperationParameter;
import org.springframework.boot.actuate.endpoint.invoke.OperationParameters;

/**
 * Lets the body of {@code POST /actuator/httppools/<name>} use the property keys
 * ({@code max-connections}, {@code http2.max-concurrent-streams}), which are not Java
 * parameter names: the actuator binds a JSON body to the operation's parameters by name.
 * Each key of {@link HttpPoolResizer#KEYS} is handed to the parameter named like it in
 * camel case ({@code maxConnections}, {@code http2MaxConcurrentStreams}), and a body with
 * any other key is answered with 400 instead of ignored, so a typo does not pass for a
 * resize.
 *
 * @author http-pool team
 * @since 0.2.0
 */
public class ResizeArguments implements OperationInvokerAdvisor {

	private static final Map<String, String> PARAMETERS = parameters();

	@Override
	public OperationInvoker apply(EndpointId endpointId, OperationType operationType, OperationParameters parameters,
			OperationInvoker invoker) {
		if (!endpointId.equals(EndpointId.of(HttpPoolsEndpoint.ID)) || operationType != OperationType.WRITE) {
			return invoker;
		}
		Set<String> names = new TreeSet<>();
		for (OperationParameter parameter : parameters) {
			names.add(parameter.getName());
		}
		return (context) -> {
			Map<String, Object> arguments = context.getArguments();
			PARAMETERS.forEach((key, parameter) -> {
				if (arguments.containsKey(key)) {
					arguments.put(parameter, arguments.remove(key));
				}
			});
			for (String key : arguments.keySet()) {
				if (!names.contains(key)) {
					return HttpPoolsEndpointWebExtension
						.badRequest(HttpPoolResizer.notResizable(String.valueOf(arguments.get("name")), key));
				}
			}
			return invoker.invoke(context);
		};
	}

	/**
	 * The parameter name of a key: {@code http2.max-concurrent-streams} is
	 * {@code http2MaxConcurrentStreams}.
	 * @param key a key of {@link HttpPoolResizer#KEYS}
	 * @return the parameter name
	 */
	public static String parameterName(String key) {
		StringBuilder name = new StringBuilder();
		boolean upper = false;
		for (char c : key.toCharArray()) {
			if (c == '-' || c == '.') {
				upper = true;
			}
			else {
				name.append(upper ? Character.toUpperCase(c) : c);
				upper = false;
			}
		}
		return name.toString();
	}

	private static Map<String, String> parameters() {
		Map<String, String> parameters = new LinkedHashMap<>();
		HttpPoolResizer.KEYS.forEach((key) -> parameters.put(key, parameterName(key)));
		return parameters;
	}

}
