package io.httppool.endpoint;

import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.httppool.HttpPoolClientSettings;
import io.httppool.HttpPoolSanitizer;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.DataObjectPropertyName;

/**
 * Renders a client's effective settings with the keys of
 * {@code http.pool.clients.<name>.*}, so that the JSON reads like the configuration. The
 * view is derived from the {@link HttpPoolClientSettings} record: every component, in
 * record order, with its name in kebab case; nested records become nested objects, except
 * {@link #TOP_LEVEL_GROUPS}, whose components are top-level properties. A setting added
 * to the record shows up here without a change to this class.
 * <p>
 * Durations use the short form the properties accept ({@code 5s}, {@code 200ms}), enums
 * their lower-case name, sets are sorted. Unset optional values ({@code null}) are left
 * out. Every value passes {@link HttpPoolSanitizer#sanitizeProperty(String, Object)}
 * under its full key, so secrets never leave: sensitive default headers, the proxy
 * password, user info in the base URL and sensitive query parameters are masked.
 */
final class EffectiveSettings {

	/**
	 * Components of {@link HttpPoolClientSettings} that group top-level properties
	 * ({@code max-connections}, {@code connect-timeout}) rather than a nested group.
	 */
	static final Set<String> TOP_LEVEL_GROUPS = Set.of("pool", "timeouts");

	/**
	 * The component that is the client's name, the key of the client, not a property.
	 */
	private static final String NAME = "name";

	private static final List<ChronoUnit> UNITS = List.of(ChronoUnit.DAYS, ChronoUnit.HOURS, ChronoUnit.MINUTES,
			ChronoUnit.SECONDS, ChronoUnit.MILLIS);

	private static final Map<ChronoUnit, String> SUFFIXES = Map.of(ChronoUnit.DAYS, "d", ChronoUnit.HOURS, "h",
			ChronoUnit.MINUTES, "m", ChronoUnit.SECONDS, "s", ChronoUnit.MILLIS, "ms");

	private EffectiveSettings() {
	}

	static Map<String, Object> describe(HttpPoolClientSettings settings) {
		Map<String, Object> result = new LinkedHashMap<>();
		String prefix = "http.pool.clients." + settings.name();
		for (RecordComponent component : settings.getClass().getRecordComponents()) {
			String name = component.getName();
			if (NAME.equals(name)) {
				continue;
			}
			Object value = read(component, settings);
			if (TOP_LEVEL_GROUPS.contains(name) && value instanceof Record group) {
				describe(group, prefix, result);
			}
			else {
				put(result, prefix, DataObjectPropertyName.toDashedForm(name), value);
			}
		}
		return result;
	}

	private static void describe(Record record, String prefix, Map<String, Object> result) {
		for (RecordComponent component : record.getClass().getRecordComponents()) {
			put(result, prefix, DataObjectPropertyName.toDashedForm(component.getName()), read(component, record));
		}
	}

	private static void put(Map<String, Object> result, String prefix, String key, @Nullable Object value) {
		putShown(result, prefix + "." + key, key, value);
	}

	private static void putShown(Map<String, Object> result, String fullKey, String key, @Nullable Object value) {
		Object shown = show(fullKey, value);
		if (shown != null) {
			result.put(key, shown);
		}
	}

	private static @Nullable Object show(String key, @Nullable Object value) {
		if (value instanceof Record record) {
			Map<String, Object> group = new LinkedHashMap<>();
			describe(record, key, group);
			return group;
		}
		if (value instanceof Map<?, ?> map) {
			Map<String, Object> entries = new LinkedHashMap<>();
			// bracketed, as in the Environment: a map key may contain dots
			map.forEach((entry, entryValue) -> putShown(entries, key + "[" + entry + "]", String.valueOf(entry),
					entryValue));
			return entries;
		}
		if (value instanceof Set<?> set) {
			return sorted(set);
		}
		return HttpPoolSanitizer.sanitizeProperty(key, scalar(value));
	}

	private static @Nullable Object scalar(@Nullable Object value) {
		if (value instanceof Duration duration) {
			return format(duration);
		}
		if (value instanceof Enum<?> constant) {
			return constant.name().toLowerCase(Locale.ROOT);
		}
		if (value instanceof URI uri) {
			return uri.toString();
		}
		return value;
	}

	private static Collection<?> sorted(Set<?> set) {
		if (set.stream().allMatch(Comparable.class::isInstance)) {
			return new TreeSet<>(set);
		}
		return set;
	}

	private static @Nullable Object read(RecordComponent component, Record record) {
		try {
			return component.getAccessor().invoke(record);
		}
		catch (ReflectiveOperationException ex) {
			// the accessors of a record are public: this is a packaging error (a native
			// image without HttpPoolRuntimeHints), not bad input
			throw new IllegalStateException("Cannot read " + component.getName() + " of " + record.getClass(), ex);
		}
	}

	/**
	 * Format a duration in the largest unit that holds it exactly, as the properties
	 * accept it ({@code 5s}, {@code 200ms}, {@code 1m}).
	 * @param duration the duration, or {@code null}
	 * @return the text, or {@code null}
	 */
	static @Nullable String format(@Nullable Duration duration) {
		if (duration == null) {
			return null;
		}
		if (duration.isZero()) {
			return "0s";
		}
		try {
			long nanos = duration.toNanos();
			for (ChronoUnit unit : UNITS) {
				long unitNanos = unit.getDuration().toNanos();
				if (nanos % unitNanos == 0) {
					return (nanos / unitNanos) + SUFFIXES.get(unit);
				}
			}
			return nanos + "ns";
		}
		catch (ArithmeticException ex) {
			return duration.toString();
		}
	}

}
