package io.ringstack.tcp;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ringstack.config.Setting;
import org.junit.jupiter.api.Timeout;

/**
 * {@link TcpFuzzTest}'s target with BBR as the congestion controller: its rate samples, model and pacing timer under
 * the same hostile peer, with the same proofs (no error escapes a duty cycle, the counter invariants hold after every
 * step, nothing leaks once every socket is closed and reset).
 */
class TcpBbrFuzzTest
{
    @FuzzTest
    @Timeout(60)
    void noSegmentSequenceMakesBbrTcpThrowLoseCountOrLeak(final FuzzedDataProvider data)
    {
        new TcpFuzzTest().run(data, context -> context.set(Setting.TCP_CONGESTION_CONTROL, TcpCongestionAlgorithm.BBR));
    }
}
