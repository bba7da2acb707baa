package io.eventlens.core.artifact;

/**
 * Limits on a CI run's zip, against zip bombs (docs/decisions/0014-artifact-import-and-triage.md,
 * "Zips"). Counted on the bytes actually inflated, never on the sizes the zip claims.
 *
 * @param maxEntries    entries read at most; a zip with more is refused past this count
 * @param maxTotalBytes uncompressed bytes read from one zip at most
 * @param maxRatio      an entry inflating to more than this many times its compressed size (once past
 *                      {@link #RATIO_FLOOR_BYTES}) is a bomb: the zip is refused from there on
 */
public record ZipLimits(int maxEntries, long maxTotalBytes, int maxRatio) {

    /** Entries smaller than this are never judged by their ratio (a tiny file compresses well). */
    public static final long RATIO_FLOOR_BYTES = 1024 * 1024;

    /** 100,000 entries, 16 GiB, ratio 200. */
    public static final ZipLimits DEFAULTS = new ZipLimits(100_000, 16L * 1024 * 1024 * 1024, 200);

    /** @throws IllegalArgumentException naming the field when a limit is not positive */
    public ZipLimits {
        if (maxEntries < 1 || maxTotalBytes < 1 || maxRatio < 1) {
            throw new IllegalArgumentException("maxEntries, maxTotalBytes and maxRatio must be positive, were "
                    + maxEntries + ", " + maxTotalBytes + ", " + maxRatio);
        }
    }
}
