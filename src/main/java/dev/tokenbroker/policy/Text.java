package dev.tokenbroker.policy;

/** What free text a request may carry: what a person could read, nothing that breaks a line, a log or a database. */
final class Text {

    private Text() {
    }

    /** No control character (C0, DEL, C1), no line or paragraph separator, no unpaired surrogate. */
    static boolean isPrintable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
