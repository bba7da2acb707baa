package io.eventlens.core.filter;

/**
 * A filter expression that cannot be used: a syntax error, a type error, an unknown variable or
 * function, or an expression over the safety limits (docs/decisions/0022-cel-filters.md). Names the
 * place in the expression: {@link #line()} and {@link #column()} are 1-based and count characters
 * (code points); {@link #pointer()} shows the expression's line with a caret under the error.
 *
 * <p>The message is for people: {@code "filter: undeclared reference to 'exec' ... at line 1, column 1"}.
 */
public final class FilterException extends IllegalArgumentException {

    private final String expression;
    private final String reason;
    private final int line;
    private final int column;

    /**
     * @param expression the expression as given (may be long; only its error line is shown)
     * @param reason     what is wrong, without the position
     * @param line       1-based line of the error, or 0 when it has no position
     * @param column     1-based column (code points) of the error, or 0 when it has no position
     */
    public FilterException(String expression, String reason, int line, int column) {
        super("filter: " + reason + (line > 0 ? " at line " + line + ", column " + column : ""));
        this.expression = expression == null ? "" : expression;
        this.reason = reason;
        this.line = line;
        this.column = column;
    }

    /** The expression as given. */
    public String expression() {
        return expression;
    }

    /** What is wrong, without the position. */
    public String reason() {
        return reason;
    }

    /** 1-based line of the error, or 0 when the error has no position. */
    public int line() {
        return line;
    }

    /** 1-based column (code points) of the error, or 0 when the error has no position. */
    public int column() {
        return column;
    }

    /**
     * The 0-based character (UTF-16 index) in {@link #expression()} where the error is, for a text
     * field's caret; 0 when the error has no position.
     */
    public int offset() {
        if (line < 1) {
            return 0;
        }
        int index = 0;
        for (int l = 1; l < line; l++) {
            int nl = expression.indexOf('\n', index);
            if (nl < 0) {
                return expression.length();
            }
            index = nl + 1;
        }
        int end = expression.indexOf('\n', index);
        end = end < 0 ? expression.length() : end;
        int codePoints = Math.max(0, column - 1);
        int available = expression.codePointCount(index, end);
        return expression.offsetByCodePoints(index, Math.min(codePoints, available));
    }

    /**
     * The error line of the expression and a caret under the error's column, two lines of text, for a
     * terminal; lines longer than 200 characters are cut around the error. Empty when the error has
     * no position.
     */
    public String pointer() {
        if (line < 1) {
            return "";
        }
        String[] lines = expression.split("\n", -1);
        String text = line <= lines.length ? lines[line - 1] : "";
        int cp = text.codePointCount(0, text.length());
        int col = Math.max(0, Math.min(column - 1, cp));
        int from = 0;
        if (cp > 200) {
            from = Math.max(0, Math.min(col - 100, cp - 200));
            int to = Math.min(cp, from + 200);
            text = text.substring(text.offsetByCodePoints(0, from), text.offsetByCodePoints(0, to));
        }
        StringBuilder sb = new StringBuilder();
        text.codePoints().forEach(c -> sb.appendCodePoint(c < 0x20 ? ' ' : c));
        return sb + "\n" + " ".repeat(col - from) + "^";
    }
}
