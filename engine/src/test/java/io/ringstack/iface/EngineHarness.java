package io.ringstack.iface;

import io.ringstack.EmbeddedStack;
import io.ringstack.engine.EngineContext;
import io.ringstack.phy.CapturingDevice;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * An {@link EmbeddedStack} on QEMU's user-mode network as {@link TestFrames} sees it: 10.0.2.15/24, gateway
 * 10.0.2.2, MAC 52:54:00:12:34:56, speaking in whole frames.
 */
final class EngineHarness extends EmbeddedStack
{
    private EngineHarness(final UnaryOperator<EngineContext> customise)
    {
        super("harness",
            new InterfaceConfig(TestFrames.OUR_ADDRESS, 24, TestFrames.GATEWAY_ADDRESS, TestFrames.OUR_MAC),
            new CapturingDevice("capture0", TestFrames.OUR_MAC), customise);
    }

    static EngineHarness start()
    {
        return new EngineHarness(UnaryOperator.identity());
    }

    /**
     * @param customise changes to the default context, e.g. {@code ctx -> ctx.set(Setting.ARP_PENDING_CAPACITY, 2)}.
     */
    static EngineHarness start(final UnaryOperator<EngineContext> customise)
    {
        return new EngineHarness(customise);
    }

    List<byte[]> takeTransmitted()
    {
        return device().takeTransmitted();
    }

    /**
     * @return the one frame transmitted since the last take; fails if there were none or several.
     */
    byte[] takeOnlyTransmitted()
    {
        final List<byte[]> frames = device().takeTransmitted();
        if (frames.size() != 1)
        {
            fail("expected exactly one transmitted frame, got " + frames.size() + describe(frames));
        }
        return frames.get(0);
    }

    /**
     * Fail, showing what was sent, if anything was transmitted since the last take.
     */
    void assertNothingTransmitted(final String why)
    {
        final List<byte[]> frames = device().takeTransmitted();
        if (!frames.isEmpty())
        {
            fail(why + ": " + frames.size() + " frame(s) transmitted" + describe(frames));
        }
    }

    /**
     * Teach the engine a neighbour the way a neighbour usually introduces itself: an ARP request for our address.
     * The engine's reply is taken and discarded.
     */
    void learn(final int address, final long mac)
    {
        receive(TestFrames.arpRequest(mac, address, TestFrames.OUR_ADDRESS));
        final byte[] reply = takeOnlyTransmitted();
        assertEquals(mac, TestFrames.mac(reply, 0), "ARP reply goes to the neighbour");
    }

    static String describe(final List<byte[]> frames)
    {
        final StringBuilder text = new StringBuilder();
        for (final byte[] frame : frames)
        {
            text.append("\n  ").append(TestFrames.describe(frame));
        }
        return text.toString();
    }
}
