package io.ringstack.tcp;

/**
 * The eleven connection states of RFC 9293 section 3.3.2.
 * <pre>
 *                             +---------+ ---------\      active OPEN
 *                             |  CLOSED |            \    -----------
 *                             +---------+&lt;---------\   \   create TCB
 *                               |     ^              \   \  snd SYN
 *                  passive OPEN |     |   CLOSE        \   \
 *                  ------------ |     | ----------       \   \
 *                   create TCB  |     | delete TCB         \   \
 *                               V     |                      \   \
 *           rcv RST (note 1)  +---------+            CLOSE    |    \
 *        --------------------&gt;|  LISTEN |          ---------- |     |
 *       /                     +---------+          delete TCB |     |
 *      /           rcv SYN      |     |     SEND              |     |
 *     /           -----------   |     |    -------            |     V
 * +--------+      snd SYN,ACK  /       \   snd SYN          +--------+
 * |        |&lt;-----------------           ------------------&gt;|        |
 * |  SYN   |                    rcv SYN                     |  SYN   |
 * |  RCVD  |&lt;-----------------------------------------------|  SENT  |
 * |        |                  snd SYN,ACK                   |        |
 * |        |------------------           -------------------|        |
 * +--------+   rcv ACK of SYN  \       /  rcv SYN,ACK       +--------+
 *    |         --------------   |     |   -----------
 *    |                x         |     |     snd ACK
 *    |                          V     V
 *    |  CLOSE                 +---------+
 *    | -------                |  ESTAB  |
 *    | snd FIN                +---------+
 *    |                 CLOSE    |     |    rcv FIN
 *    V                -------   |     |    -------
 * +---------+         snd FIN  /       \   snd ACK         +---------+
 * |  FIN    |&lt;----------------          ------------------&gt;|  CLOSE  |
 * | WAIT-1  |------------------                            |   WAIT  |
 * +---------+          rcv FIN  \                          +---------+
 *   | rcv ACK of FIN   -------   |                          CLOSE  |
 *   | --------------   snd ACK   |                         ------- |
 *   V        x                   V                         snd FIN V
 * +---------+               +---------+                    +---------+
 * |FINWAIT-2|               | CLOSING |                    | LAST-ACK|
 * +---------+               +---------+                    +---------+
 *   |              rcv ACK of FIN |                 rcv ACK of FIN |
 *   |  rcv FIN     -------------- |    Timeout=2MSL -------------- |
 *   |  -------            x       V    ------------        x       V
 *    \ snd ACK              +---------+delete TCB          +---------+
 *      -------------------&gt;|TIME-WAIT|-------------------&gt;| CLOSED  |
 *                           +---------+                    +---------+
 * </pre>
 * Here LISTEN belongs to a {@link TcpListener}, handshakes in progress on a listener to its {@link SynQueue}, and
 * TIME-WAIT to the {@link TimeWaitTable}; a {@link TcpConnection} passes through every other state, SYN-RECEIVED
 * included (simultaneous open and the completion of a passive open).
 */
public enum TcpState
{
    CLOSED,
    LISTEN,
    SYN_SENT,
    SYN_RECEIVED,
    ESTABLISHED,
    FIN_WAIT_1,
    FIN_WAIT_2,
    CLOSE_WAIT,
    CLOSING,
    LAST_ACK,
    TIME_WAIT;

    /**
     * @return {@code true} once the connection's sequence numbers are synchronized: every state from
     * ESTABLISHED on (RFC 9293 section 3.5.3).
     */
    public boolean isSynchronized()
    {
        return ordinal() >= ESTABLISHED.ordinal();
    }

    /**
     * @return {@code true} while the peer may still send data: ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2.
     */
    public boolean receivesData()
    {
        return this == ESTABLISHED || this == FIN_WAIT_1 || this == FIN_WAIT_2;
    }

    /**
     * @return {@code true} while the application may still queue data: ESTABLISHED and CLOSE-WAIT.
     */
    public boolean sendsData()
    {
        return this == ESTABLISHED || this == CLOSE_WAIT;
    }
}
