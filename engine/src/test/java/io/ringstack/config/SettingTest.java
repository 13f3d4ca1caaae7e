package io.ringstack.config;

import io.ringstack.engine.EngineContext;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The settings registry is the one declaration of every engine setting: defaults are valid, bad values are refused
 * with the setting's name, names are unique, and the engine context keeps no setting of its own beside it.
 */
class SettingTest
{
    @Test
    void everyDefaultIsAcceptedByItsOwnBounds()
    {
        assertNull(new Settings().validate());
        for (final Setting setting : Setting.values())
        {
            assertNull(setting.check(setting.defaultValue()), setting.settingName());
        }
    }

    @Test
    void namesAreUniqueAndFindTheirSetting()
    {
        final Set<String> names = Arrays.stream(Setting.values()).map(Setting::settingName).collect(Collectors.toSet());
        assertEquals(Setting.values().length, names.size());
        for (final Setting setting : Setting.values())
        {
            assertSame(setting, Setting.byName(setting.settingName()));
        }
        assertNull(Setting.byName("noSuchSetting"));
    }

    @Test
    void anOutOfRangeValueIsRefusedWithTheSettingsNameAndTheBoundItBroke()
    {
        assertEquals("frameBudget must be positive, not 0", Setting.FRAME_BUDGET.check(0));
        assertEquals("tcpSendBufferCapacity must be a power of two in 1..1073741824, not 3000",
            Setting.TCP_SEND_BUFFER_CAPACITY.check(3000));
        assertEquals("loopbackRingCapacity must be a power of two in 16384..1073741824, not 8192",
            Setting.LOOPBACK_RING_CAPACITY.check(8192));
        assertEquals("tcpMaxSegmentSize must be 0 or in 88..1460, not 40", Setting.TCP_MAX_SEGMENT_SIZE.check(40));
        assertEquals("removedProtocolArm must be one of [-1, 1, 6, 17], not 47",
            Setting.REMOVED_PROTOCOL_ARM.check(47));
        assertEquals("tcpNagle must be in 0..1, not 2", Setting.TCP_NAGLE.check(2));
    }

    @Test
    void settingsBetweenThemselvesAreCheckedToo()
    {
        final Settings settings = new Settings().set(Setting.TCP_RTO_MIN_NS, 2_000_000_000L);
        assertNotNull(settings.validate());
        assertTrue(settings.validate().contains("tcpRtoMinNs <= tcpRtoInitialNs <= tcpRtoMaxNs"));
    }

    @Test
    void aChoiceIsRecordedAsItsOrdinal()
    {
        enum Algorithm
        { FIRST, SECOND }
        final Settings settings = new Settings().set(Setting.TCP_CONGESTION_CONTROL, Algorithm.FIRST);
        assertEquals(0, settings.longValue(Setting.TCP_CONGESTION_CONTROL));
        assertSame(Algorithm.FIRST, settings.choice(Setting.TCP_CONGESTION_CONTROL, Algorithm.values()));
    }

    /**
     * A value added to the engine context as a field of its own would be a setting the journal never records: the
     * context may hold only its collaborators and the registry's values.
     */
    @Test
    void theEngineContextHoldsNoSettingOutsideTheRegistry()
    {
        final Set<String> fields = new TreeSet<>();
        for (final Field field : EngineContext.class.getDeclaredFields())
        {
            if (!Modifier.isStatic(field.getModifiers()))
            {
                fields.add(field.getName() + ":" + field.getType().getSimpleName());
            }
        }
        assertEquals(new TreeSet<>(Set.of("settings:Settings", "name:String", "interfaceConfig:InterfaceConfig",
            "device:NetworkDevice", "nanoClock:NanoClock", "countersManager:CountersManager", "tap:EngineTap")),
            fields, "a value that shapes the engine belongs in io.ringstack.config.Setting");
    }
}
