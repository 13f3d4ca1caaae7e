package io.ringstack.drivers;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;

/**
 * The choices of a hostile guest driver, taken from fuzz input, for the device models' fuzz targets: guest-physical
 * addresses inside guest memory, at its last page and just past its end, just below its base, or anywhere at all;
 * lengths from none to absurd; and scribbles, values the guest writes over its own memory where the device looks
 * (rings, descriptors, buffers). The guest itself only writes inside its memory, as a real one can; what the device
 * does with the result is what the targets check.
 */
public final class HostileGuest
{
    /** How far past an interesting address a scribble may land: a few descriptors or ring entries. */
    public static final int SCRIBBLE_REACH = 256;
    public static final int PAGE = 4096;

    private final FuzzedDataProvider data;
    private final GuestMemory memory;

    public HostileGuest(final FuzzedDataProvider data, final GuestMemory memory)
    {
        this.data = data;
        this.memory = memory;
    }

    public FuzzedDataProvider data()
    {
        return data;
    }

    /**
     * @return a guest-physical address: inside guest memory, around its end, just below its base, or any.
     */
    public long address()
    {
        switch (data.consumeInt(0, 3))
        {
            case 0:
                return memory.base() + data.consumeInt(0, memory.size() - 1);
            case 1:
                return memory.base() + memory.size() + data.consumeInt(-PAGE, PAGE);
            case 2:
                return memory.base() - data.consumeInt(1, PAGE);
            default:
                return data.consumeLong();
        }
    }

    /**
     * @return a length: a frame's worth, around a 16-bit or power-of-two edge, or any int.
     */
    public int length()
    {
        switch (data.consumeInt(0, 2))
        {
            case 0:
                return data.consumeInt(0, 2048);
            case 1:
                return (1 << data.consumeInt(0, 31)) + data.consumeInt(-2, 2);
            default:
                return data.consumeInt();
        }
    }

    /**
     * @return a frame of up to {@code maxLength} bytes, all fuzzed.
     */
    public byte[] frame(final int maxLength)
    {
        return data.consumeBytes(data.consumeInt(0, maxLength));
    }

    /**
     * Write a fuzzed byte, short, int or long within {@link #SCRIBBLE_REACH} of one of {@code places}, or of an
     * address from {@link #address}; nothing when it would fall outside guest memory.
     */
    public void scribble(final long... places)
    {
        final int which = data.consumeInt(0, places.length);
        final long at = (which < places.length ? places[which] : address()) + data.consumeInt(0, SCRIBBLE_REACH);
        switch (data.consumeInt(0, 3))
        {
            case 0:
                if (memory.isValid(at, Byte.BYTES))
                {
                    memory.putByte(at, data.consumeByte());
                }
                break;
            case 1:
                if (memory.isValid(at, Short.BYTES))
                {
                    memory.putShort(at, data.consumeShort());
                }
                break;
            case 2:
                if (memory.isValid(at, Integer.BYTES))
                {
                    memory.putInt(at, data.consumeInt());
                }
                break;
            default:
                if (memory.isValid(at, Long.BYTES))
                {
                    memory.putLong(at, which < places.length ? address() : data.consumeLong());
                }
                break;
        }
    }
}
