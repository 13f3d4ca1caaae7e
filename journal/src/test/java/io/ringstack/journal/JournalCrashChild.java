package io.ringstack.journal;

import io.ringstack.Ringstack;
import io.ringstack.engine.EngineContext;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.socket.Sockets;
import java.nio.file.Path;

/**
 * The process {@link JournalCrashTest} kills: an engine on its own thread, journaled by an agent on its own thread,
 * sending UDP datagrams to itself over loopback and reading them back, forever. It prints {@value #READY} once it
 * has journaled a while.
 */
public final class JournalCrashChild
{
    static final String READY = "journaling";
    private static final int READY_AFTER_DATAGRAMS = 2_000;

    private JournalCrashChild()
    {
    }

    public static void main(final String[] args)
    {
        final EngineContext context = new EngineContext()
            .name("crash")
            .interfaceConfig(InterfaceConfig.parse("10.0.2.15/24", "10.0.2.2", PeerFrames.ENGINE_MAC));
        Journal.attach(context, new JournalContext().directory(Path.of(args[0])).profile("test/crash"));
        final Ringstack stack = Ringstack.launch(context, true, null);
        final Sockets sockets = stack.sockets();
        final int receiver = sockets.socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0);
        sockets.bind(receiver, SockAddr.inet(SocketConstants.INADDR_ANY, 5000));
        final int sender = sockets.socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0);
        final SockAddr destination = SockAddr.inet("127.0.0.1", 5000);
        final byte[] payload = new byte[64];
        final byte[] received = new byte[64];
        for (long datagram = 0; ; datagram++)
        {
            payload[0] = (byte)datagram;
            sockets.sendto(sender, payload, 0, payload.length, 0, destination);
            sockets.recvfrom(receiver, received, 0, received.length, 0, null);
            if (datagram == READY_AFTER_DATAGRAMS)
            {
                System.out.println(READY);
                System.out.flush();
            }
        }
    }
}
