package io.ringstack.drivers.virtio;

/**
 * Feature negotiation over the virtio-mmio window (VirtIO 1.2 sections 2.2 and 4.2.2): the device's offer, read 32
 * bits at a time through {@code DeviceFeaturesSel}/{@code DeviceFeatures}, and the subset the driver accepts,
 * written the same way through {@code DriverFeaturesSel}/{@code DriverFeatures}. Whether that subset is one the
 * device works with decides whether FEATURES_OK sticks in {@link VirtioDeviceStatus}: a subset of the offer, with
 * every required feature, and no feature without the ones it depends on (section 5.1.3.1: HOST_TSO4 needs CSUM,
 * GUEST_TSO4 needs GUEST_CSUM).
 */
final class VirtioFeatures
{
    private static final int WORDS = 2;

    private final long offered;
    private final long[] dependencies;
    private long required;
    private int deviceSelect;
    private int driverSelect;
    private long accepted;
    private boolean acceptedBeyond64;

    /**
     * @param offered      the 64 feature bits the device offers.
     * @param required     the features without which the device refuses the driver's subset.
     * @param dependencies pairs of a feature and the features it needs.
     */
    VirtioFeatures(final long offered, final long required, final long... dependencies)
    {
        this.offered = offered;
        this.required = required;
        this.dependencies = dependencies;
    }

    /**
     * @return the features the driver accepted: the negotiated ones once FEATURES_OK stuck.
     */
    long accepted()
    {
        return accepted;
    }

    void required(final long features)
    {
        required = features;
    }

    /**
     * Device reset: both selectors at word 0, nothing accepted.
     */
    void reset()
    {
        deviceSelect = 0;
        driverSelect = 0;
        accepted = 0;
        acceptedBeyond64 = false;
    }

    /**
     * {@code DeviceFeaturesSel}.
     */
    void selectDeviceWord(final int select)
    {
        deviceSelect = select;
    }

    /**
     * {@code DriverFeaturesSel}.
     */
    void selectDriverWord(final int select)
    {
        driverSelect = select;
    }

    /**
     * @return {@code DeviceFeatures}: the selected word of the offer, 0 past bit 63.
     */
    int deviceWord()
    {
        return isWord(deviceSelect) ? (int)(offered >>> (32 * deviceSelect)) : 0;
    }

    /**
     * {@code DriverFeatures}: the selected word of the accepted subset. A bit accepted past bit 63, which no device
     * here offers, is remembered only as making the subset unacceptable.
     */
    void acceptDriverWord(final int word)
    {
        if (isWord(driverSelect))
        {
            final int shift = 32 * driverSelect;
            accepted = (accepted & ~(0xFFFF_FFFFL << shift)) | ((word & 0xFFFF_FFFFL) << shift);
        }
        else
        {
            acceptedBeyond64 |= word != 0;
        }
    }

    /**
     * @return whether the driver accepted a subset of the offer that includes every required feature and every
     * feature an accepted one depends on.
     */
    boolean isAcceptable()
    {
        if (acceptedBeyond64 || (accepted & ~offered) != 0 || (accepted & required) != required)
        {
            return false;
        }
        for (int i = 0; i < dependencies.length; i += 2)
        {
            if ((accepted & dependencies[i]) != 0 && (accepted & dependencies[i + 1]) != dependencies[i + 1])
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @return whether a features selector names one of the two 32-bit words of the 64 feature bits.
     */
    private static boolean isWord(final int select)
    {
        return select >= 0 && select < WORDS;
    }
}
