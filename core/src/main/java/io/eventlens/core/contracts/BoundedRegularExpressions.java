package io.eventlens.core.contracts;

import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;
import com.networknt.schema.regex.RegularExpressions;
import java.util.regex.Pattern;

/**
 * The {@code pattern} / {@code patternProperties} engine of contract schemas: the JDK's regular
 * expressions (with the validator's ECMA-262 adjustments), but each match may read the checked
 * text at most {@link #budget(int)} times. A schema's pattern comes from a stranger's file, and a
 * catastrophic one ({@code (a+)+$}) would backtrack for minutes on a short payload value; past the
 * budget the match stops with {@link PatternTooSlow}, which the check reports as a violation of
 * that event instead of hanging (docs/decisions/0015-event-contracts.md).
 */
final class BoundedRegularExpressions implements RegularExpressionFactory {

    /** The one instance. */
    static final BoundedRegularExpressions INSTANCE = new BoundedRegularExpressions();

    /** Character reads allowed per match: a fixed part plus a multiple of the text's length. */
    static long budget(int length) {
        return 1_000_000L + 2_000L * length;
    }

    /** A pattern gave up: it needed more than its budget of character reads. */
    static final class PatternTooSlow extends RuntimeException {
        PatternTooSlow(String regex, int length) {
            super("pattern " + (regex.length() > 60 ? regex.substring(0, 59) + "…" : regex)
                    + " needed too many steps on a " + length + "-char value (catastrophic backtracking?)", null, false, false);
        }
    }

    private BoundedRegularExpressions() {
    }

    @Override
    public RegularExpression getRegularExpression(String regex) {
        Pattern pattern = Pattern.compile(RegularExpressions.replaceLongformCharacterProperties(
                RegularExpressions.replaceDollarAnchors(regex)));
        return value -> {
            Counting text = new Counting(value, budget(value.length()), regex);
            return pattern.matcher(text).find();
        };
    }

    /** The checked text, counting reads against the budget. */
    private static final class Counting implements CharSequence {
        private final String text;
        private final String regex;
        private long left;

        Counting(String text, long budget, String regex) {
            this.text = text;
            this.left = budget;
            this.regex = regex;
        }

        @Override
        public char charAt(int index) {
            if (--left < 0) {
                throw new PatternTooSlow(regex, text.length());
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Counting(text.substring(start, end), left, regex);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
