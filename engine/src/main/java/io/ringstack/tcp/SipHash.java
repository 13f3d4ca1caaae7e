package io.ringstack.tcp;

/**
 * SipHash-2-4 (Aumasson and Bernstein, 2012) of a 16-byte message given as two little-endian 64-bit words: the
 * keyed pseudo-random function behind {@link IsnGenerator} and {@link SynCookies}. One instance per user, on one
 * thread; no allocation.
 */
final class SipHash
{
    private static final long MESSAGE_LENGTH_WORD = 16L << 56;

    private final long key0;
    private final long key1;
    private long v0;
    private long v1;
    private long v2;
    private long v3;

    SipHash(final long key0, final long key1)
    {
        this.key0 = key0;
        this.key1 = key1;
    }

    long hash(final long word0, final long word1)
    {
        v0 = key0 ^ 0x736f6d6570736575L;
        v1 = key1 ^ 0x646f72616e646f6dL;
        v2 = key0 ^ 0x6c7967656e657261L;
        v3 = key1 ^ 0x7465646279746573L;
        compress(word0);
        compress(word1);
        compress(MESSAGE_LENGTH_WORD);
        v2 ^= 0xff;
        round();
        round();
        round();
        round();
        return v0 ^ v1 ^ v2 ^ v3;
    }

    private void compress(final long word)
    {
        v3 ^= word;
        round();
        round();
        v0 ^= word;
    }

    private void round()
    {
        v0 += v1;
        v1 = Long.rotateLeft(v1, 13);
        v1 ^= v0;
        v0 = Long.rotateLeft(v0, 32);
        v2 += v3;
        v3 = Long.rotateLeft(v3, 16);
        v3 ^= v2;
        v0 += v3;
        v3 = Long.rotateLeft(v3, 21);
        v3 ^= v0;
        v2 += v1;
        v1 = Long.rotateLeft(v1, 17);
        v1 ^= v2;
        v2 = Long.rotateLeft(v2, 32);
    }
}
