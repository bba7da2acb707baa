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

    /**
     * The most bytes {@link #pack} writes for {@code plainLength} bytes: the format byte, the length
     * (a varint of at most 5 bytes) and LZ4's bound.
     */
    static int maxPackedLength(int plainLength) {
        return compressor().maxCompressedLength(plainLength) + 6;
    }

    /**
     * Writes a compressed block as both block formats store it: {@code format}, the plain length
     * (unsigned LEB128 varint), then the LZ4 block compression of {@code plain[0, plainLength)}.
     *
     * @param packed at least {@link #maxPackedLength} bytes
     * @return how many bytes of {@code packed} were written
     */
    static int pack(int format, byte[] plain, int plainLength, byte[] packed) {
        packed[0] = (byte) format;
        int p = 1;
        long v = plainLength;
        while ((v & ~0x7FL) != 0) {
            packed[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        packed[p++] = (byte) v;
        return p + compressor().compress(plain, 0, plainLength, packed, p, packed.length - p);
    }

    /** Holds the fastest compressor, so that only a writer loads it. */
    private static final class Fastest {
        static final LZ4Compressor COMPRESSOR = LZ4Factory.fastestInstance().fastCompressor();
    }
}
