package io.ringstack.tcp;

/**
 * The engine's look at what a connection's application did to its rings since the last look: the bytes it wrote
 * to the send ring and how many it read from the receive ring. The engine sees the application only here: on a
 * doorbell, when the connection is about to send, when the application shuts it down or closes it, and when the
 * engine starts wishing for a window update. Every look is reported to the {@link TcpTap}, one that found nothing
 * as 0 bytes consumed, so that a replay can put the same bytes in the rings before the same look. Engine thread
 * only; nothing allocates.
 */
final class AppRingLook
{
    private final TcpTap tap;

    AppRingLook(final TcpTap tap)
    {
        this.tap = tap;
    }

    /**
     * Take what the application of the connection did since the last look; nothing for an unattached connection.
     */
    void take(final TcpConnection connection)
    {
        if (!connection.attached)
        {
            return;
        }
        final int slot = connection.slot;
        tap.beginAppLook(slot);
        final TcpByteRing send = connection.stream.sendRing();
        final int written = send.takeWritten();
        if (written > 0)
        {
            final int index = send.indexOf(send.consumed() + send.written() - written);
            final int first = Math.min(written, send.capacity() - index);
            tap.onAppData(slot, send.memory(), index, first);
            if (first < written)
            {
                tap.onAppData(slot, send.memory(), 0, written - first);
            }
        }
        tap.onAppConsumed(slot, connection.stream.receiveRing().takeConsumed());
    }
}
