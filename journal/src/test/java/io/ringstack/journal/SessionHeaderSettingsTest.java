package io.ringstack.journal;

import io.ringstack.config.Setting;
import io.ringstack.engine.EngineContext;
import io.ringstack.iface.InterfaceConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.LongStream;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A replay builds the engine that was recorded: every setting that changes behaviour travels through the session
 * header, with a value other than its default, and comes back as it was.
 */
class SessionHeaderSettingsTest
{
    @Test
    void everySettingThatChangesBehaviourSurvivesTheSessionHeaderWithANonDefaultValue()
    {
        final EngineContext recorded = new EngineContext()
            .interfaceConfig(InterfaceConfig.parse("10.0.2.15/24", "10.0.2.2", 0x02_00_00_00_00_01L));
        for (final Setting setting : Setting.values())
        {
            recorded.set(setting, otherValidValue(setting));
        }
        assertNull(recorded.settings().validate());

        final SessionHeader header = SessionHeader.of(recorded, "test", TapPolicy.BLOCK, 0, 0);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[header.encodedLength()]);
        header.encode(buffer, 0);
        final EngineContext replayed = SessionHeader.decode(buffer, 0, header.encodedLength()).newEngineContext();

        for (final Setting setting : Setting.values())
        {
            if (setting.changesBehaviour())
            {
                assertEquals(recorded.settings().longValue(setting), replayed.settings().longValue(setting),
                    setting.settingName() + " changes behaviour but a replay does not get its recorded value");
            }
            else
            {
                assertFalse(header.settings().containsKey(setting.settingName()),
                    setting.settingName() + " does not change behaviour and is not journaled");
            }
        }
    }

    @Test
    void theHeaderRecordsEverySettingThatChangesBehaviourByItsName()
    {
        final SessionHeader header = SessionHeader.of(new EngineContext()
            .interfaceConfig(InterfaceConfig.parse("10.0.2.15/24", "10.0.2.2", 1)), "test", TapPolicy.BLOCK, 0, 0);
        for (final Setting setting : Setting.values())
        {
            assertEquals(setting.changesBehaviour(), header.settings().containsKey(setting.settingName()),
                setting.settingName());
        }
        assertTrue(header.unknownSettings().isEmpty());
    }

    /**
     * A journal recorded before a setting existed replays with the value that reproduces the engines of that time:
     * an Ethernet-sized loopback, checksummed UDP over loopback, TCP without ECN.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Setting.class, names = { "LOOPBACK_MTU", "LOOPBACK_UDP_CHECKSUMS", "TCP_ECN" })
    void aJournalOlderThanASettingReplaysWithTheBehaviourItWasRecordedWith(final Setting setting)
    {
        final SessionHeader current = SessionHeader.of(new EngineContext()
            .interfaceConfig(InterfaceConfig.parse("10.0.2.15/24", "10.0.2.2", 1)), "test", TapPolicy.BLOCK, 0, 0);
        final Map<String, Long> olderSettings = new LinkedHashMap<>(current.settings());
        olderSettings.remove(setting.settingName());
        final SessionHeader older = new SessionHeader(current.formatVersion(), current.engineName(), current.profile(),
            current.deviceName(), current.ringstackVersion(), current.jvmVersion(), current.hasDevice(),
            current.interfaceConfig(), current.mtu(), current.policy(), current.clockOriginNs(),
            current.epochOffsetNs(), olderSettings, current.dropReasons());
        final long unrecorded = Map.of(Setting.LOOPBACK_MTU, 1500L, Setting.LOOPBACK_UDP_CHECKSUMS, 1L,
            Setting.TCP_ECN, 0L).get(setting);

        assertEquals(setting.defaultValue(), current.newEngineContext().settings().longValue(setting), "recorded");
        assertEquals(unrecorded, older.newEngineContext().settings().longValue(setting), "not recorded");
    }

    /**
     * @return a value the setting accepts that is not its default.
     */
    static long otherValidValue(final Setting setting)
    {
        final long defaultValue = setting.defaultValue();
        return LongStream.of(defaultValue * 2, defaultValue + 1, defaultValue - 1, 1, 6, 17, 0, 1000)
            .filter((value) -> value != defaultValue && setting.check(value) == null)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no other valid value for " + setting.settingName()));
    }
}
