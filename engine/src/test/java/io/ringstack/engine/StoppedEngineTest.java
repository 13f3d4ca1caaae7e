package io.ringstack.engine;

import io.ringstack.Ringstack;
import io.ringstack.errno.Errno;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.socket.Sockets;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A call to an engine that has stopped gives up at once with {@code ENETDOWN}: it does not wait out its deadline
 * for an answer that cannot come, so an application that closes its sockets after the engine is not held up.
 */
class StoppedEngineTest
{
    @ParameterizedTest(name = "dedicated thread: {0}")
    @ValueSource(booleans = { true, false })
    void callsToAStoppedEngineFailAtOnceWithEnetdown(final boolean dedicated)
    {
        final Ringstack stack = Ringstack.launch(new EngineContext().name("stopped")
            .interfaceConfig(InterfaceConfig.parse("10.0.2.15/24", "10.0.2.2", 0x5254_0012_3456L)), dedicated, null);
        final Sockets sockets = stack.sockets();
        final int fd = sockets.socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0);
        stack.close();

        assertTimeoutPreemptively(Duration.ofSeconds(1), () ->
        {
            assertEquals(-Errno.ENETDOWN, sockets.bind(fd, SockAddr.inet("0.0.0.0", 7000)));
            sockets.close(fd);
        }, "no call waits out its deadline once the engine has stopped");
    }
}
