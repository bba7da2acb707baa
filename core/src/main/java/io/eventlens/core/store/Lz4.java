package io.eventlens.core.store;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * The LZ4 block compression of the capture store's event blocks and flow-summary blocks
 * (docs/decisions/0001-capture-store.md), through lz4-java.
 *
 * <ul>
 *   <li>Decompression runs lz4-java's pure-Java safe decompressor (about 2.5 GB/s on the build
 *       machine, against about 13 GB/s for its native one): stored blocks may come from a
 *       stranger's file, so they are decoded by memory-safe code that checks every bound, and a
 *       process that only reads captures ({@code timeline}, the app opening a file) never loads
 *       lz4-java's native library, which lz4-java first writes to the temp folder (about 35 ms of
 *       each start-up).</li>
 *   <li>Compression of the blocks a capture writes (its own data) uses the fastest instance,
 *       native where it loads, created at the first compression.</li>
 * </ul>
 */
final class Lz4 {

    /** The decompressor of stored blocks; its output length is always checked by the caller. */
    static final LZ4SafeDecompressor DECOMPRESSOR = LZ4Factory.safeInstance().safeDecompressor();

    private Lz4() {
    }

    /** The compressor of blocks being written (lz4-java's fastest, loaded on first use). */
    static LZ4Compressor compressor() {
        return Fastest.COMPRESSOR;
    }

    /** Holds the fastest compressor, so that only a writer loads it. */
    private static final class Fastest {
        static final LZ4Compressor COMPRESSOR = LZ4Factory.fastestInstance().fastCompressor();
    }
}
