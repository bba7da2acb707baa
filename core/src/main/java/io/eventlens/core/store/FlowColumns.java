package io.eventlens.core.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compact text encodings of {@code flow_summary.channels} and {@code flow_summary.anomaly_counts}
 * (schema V4). A capture file is untrusted (docs/decisions/0007-untrusted-capture-files.md): decoding
 * never throws; a malformed value decodes to what could be read before the damage.
 */
final class FlowColumns {

    /** Longest kind name accepted when decoding (the anomaly kind names are far shorter). */
    private static final int MAX_KIND_LENGTH = 64;

    private FlowColumns() {
    }

    /** Channel names, each as {@code <length>:<name>} with the length in UTF-16 chars. */
    static String encodeChannels(List<String> channels) {
        StringBuilder sb = new StringBuilder();
        for (String c : channels) {
            sb.append(c.length()).append(':').append(c);
        }
        return sb.toString();
    }

    static List<String> decodeChannels(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (s != null && i < s.length() && out.size() < FlowRecord.MAX_CHANNELS) {
            int colon = s.indexOf(':', i);
            if (colon < 0 || colon - i > 9) {
                break;
            }
            int len;
            try {
                len = Integer.parseInt(s, i, colon, 10);
            } catch (NumberFormatException e) {
                break;
            }
            if (len < 0 || len > s.length() - colon - 1) {
                break;
            }
            out.add(s.substring(colon + 1, colon + 1 + len));
            i = colon + 1 + len;
        }
        return out;
    }

    /** Counts by kind name as {@code KIND:count} joined by {@code ,}; zero counts are left out. */
    static String encodeCounts(Map<String, Integer> counts) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (e.getValue() == null || e.getValue() <= 0) {
                continue;
            }
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            sb.append(e.getKey()).append(':').append(e.getValue());
        }
        return sb.toString();
    }

    static Map<String, Integer> decodeCounts(String s) {
        Map<String, Integer> out = new LinkedHashMap<>();
        if (s == null || s.isEmpty()) {
            return out;
        }
        for (String pair : s.split(",", 64)) {
            int colon = pair.indexOf(':');
            if (colon <= 0 || colon > MAX_KIND_LENGTH) {
                continue;
            }
            try {
                int n = Integer.parseInt(pair, colon + 1, pair.length(), 10);
                if (n > 0) {
                    out.put(pair.substring(0, colon), n);
                }
            } catch (NumberFormatException e) {
                // a damaged pair is left out
            }
        }
        return out;
    }
}
