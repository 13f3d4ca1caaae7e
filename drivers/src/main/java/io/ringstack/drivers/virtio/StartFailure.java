package io.ringstack.drivers.virtio;

/**
 * Why {@link VirtioNetDriver} could not make its device live, with up to two numbers that say more. The words are
 * here, not in the driver's start-up code, which also runs when the driver resets the device from its poll: a
 * compilation of a method that holds string literals resolves them on the compiling thread's behalf, which would be
 * allocation on the engine thread.
 */
enum StartFailure
{
    NOT_RESET,
    FEATURES_MISSING,
    FEATURES_REFUSED,
    QUEUE_IN_USE,
    QUEUE_UNAVAILABLE,
    QUEUE_REFUSED,
    NEEDS_RESET;

    String describe(final long first, final long second)
    {
        switch (this)
        {
            case NOT_RESET:
                return "the device did not reset";
            case FEATURES_MISSING:
                return "the device offers features 0x" + Long.toHexString(first) +
                    " without VIRTIO_F_VERSION_1 and VIRTIO_NET_F_MAC (0x" + Long.toHexString(second) + ")";
            case FEATURES_REFUSED:
                return "the device refused features 0x" + Long.toHexString(first) + ": FEATURES_OK did not stick";
            case QUEUE_IN_USE:
                return "queue " + first + " is already in use";
            case QUEUE_UNAVAILABLE:
                return "queue " + first + " is not available (QueueNumMax " + second + ")";
            case QUEUE_REFUSED:
                return "the device did not accept queue " + first;
            default:
                return "the device needs a reset after DRIVER_OK";
        }
    }
}
