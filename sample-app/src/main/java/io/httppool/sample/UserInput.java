package io.httppool.sample;

/**
 * How error messages quote what a caller sent: short, on one line, never the whole of a
 * 10,000-character field.
 *
 * @author http-pool team
 */
public final class UserInput {

	/** Characters of a value quoted in an error message. */
	public static final int MAX_QUOTED = 32;

	private UserInput() {
	}

	/**
	 * Quote a value for an error message: control characters escaped ({@code \r} becomes
	 * the two characters backslash and r), at most {@value #MAX_QUOTED} characters of it,
	 * followed by its length when it was cut.
	 * @param value what the caller sent
	 * @return the value in single quotes, such as {@code 'english'}
	 */
	public static String quote(String value) {
		String shown = (value.length() > MAX_QUOTED) ? value.substring(0, MAX_QUOTED) : value;
		StringBuilder quoted = new StringBuilder("'");
		shown.chars().forEach((c) -> quoted.append(escape((char) c)));
		if (value.length() > MAX_QUOTED) {
			quoted.append("...' (").append(value.length()).append(" characters)");
		}
		else {
			quoted.append('\'');
		}
		return quoted.toString();
	}

	/**
	 * Whether a value is printable on one line: no control characters.
	 * @param value the value
	 * @return {@code true} without CR, LF, TAB or other control characters
	 */
	public static boolean isPrintable(String value) {
		return value.chars().noneMatch(Character::isISOControl);
	}

	private static String escape(char c) {
		return switch (c) {
			case '\r' -> "\\r";
			case '\n' -> "\\n";
			case '\t' -> "\\t";
			default -> Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c);
		};
	}

}
