package io.spendstream.infra.clickhouse;

import com.clickhouse.data.ClickHouseCityHash;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FastDecompressor;

/**
 * ClickHouse's native block compression, as used by the HTTP interface's {@code compress=1} (responses)
 * and {@code decompress=1} (request bodies): blocks of [16-byte CityHash128 of the rest][method byte]
 * [int32 LE size incl. 9-byte header][int32 LE uncompressed size][payload]. Method 0x82 is LZ4, 0x02 none.
 */
final class NativeCompression {
  static final byte LZ4 = (byte) 0x82;
  static final byte NONE = 0x02;
  static final byte ZSTD = (byte) 0x90;
  private static final int BLOCK = 1 << 20;
  private static final LZ4Compressor COMPRESSOR = LZ4Factory.fastestInstance().fastCompressor();
  private static final LZ4FastDecompressor DECOMPRESSOR = LZ4Factory.fastestInstance().fastDecompressor();

  private NativeCompression() {}

  /** Writes {@code data} as LZ4 blocks of at most 1 MiB. */
  static void compress(byte[] data, OutputStream out) throws IOException {
    for (int off = 0; off < data.length; off += BLOCK) {
      int len = Math.min(BLOCK, data.length - off);
      byte[] block = new byte[9 + COMPRESSOR.maxCompressedLength(len)];
      int compressed = COMPRESSOR.compress(data, off, len, block, 9, block.length - 9);
      int total = 9 + compressed;
      block[0] = LZ4;
      putInt32(block, 1, total);
      putInt32(block, 5, len);
      long[] hash = ClickHouseCityHash.cityHash128(block, 0, total);
      byte[] checksum = new byte[16];
      putInt64(checksum, 0, hash[0]);
      putInt64(checksum, 8, hash[1]);
      out.write(checksum);
      out.write(block, 0, total);
    }
  }

  /** Reads a whole stream of blocks, checking every checksum. */
  static byte[] decompress(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] header = new byte[25];
    while (readFully(in, header, 0, 25, true)) {
      byte method = header[16];
      int total = getInt32(header, 17);
      int raw = getInt32(header, 21);
      if (total < 9 || raw < 0) {
        throw new IOException("corrupted compressed block: sizes " + total + "/" + raw);
      }
      byte[] block = new byte[total];
      System.arraycopy(header, 16, block, 0, 9);
      readFully(in, block, 9, total - 9, false);
      long[] hash = ClickHouseCityHash.cityHash128(block, 0, total);
      if (hash[0] != getInt64(header, 0) || hash[1] != getInt64(header, 8)) {
        throw new IOException("checksum mismatch in compressed block");
      }
      byte[] plain = new byte[raw];
      if (method == LZ4) {
        DECOMPRESSOR.decompress(block, 9, plain, 0, raw);
      } else if (method == NONE) {
        System.arraycopy(block, 9, plain, 0, raw);
      } else {
        throw new IOException("unsupported compression method 0x" + Integer.toHexString(method & 0xff)
            + " (this endpoint reads LZ4 and uncompressed blocks)");
      }
      out.write(plain);
    }
    return out.toByteArray();
  }

  private static boolean readFully(InputStream in, byte[] b, int off, int len, boolean eofOk) throws IOException {
    int n = 0;
    while (n < len) {
      int r = in.read(b, off + n, len - n);
      if (r < 0) {
        if (n == 0 && eofOk) {
          return false;
        }
        throw new EOFException("truncated compressed block");
      }
      n += r;
    }
    return true;
  }

  private static void putInt32(byte[] b, int off, int v) {
    for (int i = 0; i < 4; i++) {
      b[off + i] = (byte) (v >>> (8 * i));
    }
  }

  private static void putInt64(byte[] b, int off, long v) {
    for (int i = 0; i < 8; i++) {
      b[off + i] = (byte) (v >>> (8 * i));
    }
  }

  private static int getInt32(byte[] b, int off) {
    return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
  }

  private static long getInt64(byte[] b, int off) {
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = v << 8 | (b[off + i] & 0xffL);
    }
    return v;
  }
}
