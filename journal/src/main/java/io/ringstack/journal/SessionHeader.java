package io.ringstack.journal;

import io.ringstack.Ringstack;
import io.ringstack.config.Setting;
import io.ringstack.engine.EngineContext;
import io.ringstack.engine.EngineTap;
import io.ringstack.iface.DropReason;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.wire.Ipv4Text;
import io.ringstack.wire.MacText;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.ringstack.journal.JournalFormat.BYTE_ORDER;
import static io.ringstack.journal.JournalFormat.SESSION_ADDRESS_OFFSET;
import static io.ringstack.journal.JournalFormat.SESSION_CLOCK_ORIGIN_OFFSET;
import static io.ringstack.journal.JournalFormat.SESSION_EPOCH_OFFSET_OFFSET;
import static io.ringstack.journal.JournalFormat.SESSION_FLAGS_OFFSET;
import static io.ringstack.journal.JournalFormat.SESSION_FLAG_DEVICE;
import static io.ringstack.journal.JournalFormat.SESSION_GATEWAY_OFFSET;
import static io.ringstack.journal.JournalFormat.SESSION_MAC_OFFSET;
import static io.ringstack.journal.JournalFormat.SESSION_MTU_OFFSET;
import static io.ringstack.journal.JournalFormat.SESSION_POLICY_OFFSET;
import static io.ringstack.journal.JournalFormat.SESSION_PREFIX_LENGTH_OFFSET;
import static io.ringstack.journal.JournalFormat.SESSION_VARIABLE_OFFSET;
import static io.ringstack.journal.JournalFormat.SESSION_VERSION_OFFSET;

/**
 * The first record of a journal ({@link JournalFormat#SESSION}): everything needed to build an engine that behaves
 * as the recorded one did, and to read the rest of the journal on another build (drop reasons by name).
 *
 * @param formatVersion    {@link JournalFormat#VERSION} of the writer.
 * @param engineName       the engine's name.
 * @param profile          the platform profile, e.g. {@code "x86_64/e1000"}.
 * @param deviceName       the network device's name, empty when the engine has none.
 * @param ringstackVersion the version of ringstack that wrote the journal.
 * @param jvmVersion       the JVM that ran it.
 * @param hasDevice        whether the engine had a network device.
 * @param interfaceConfig  address, prefix, gateway and MAC.
 * @param mtu              the device's MTU, 0 without a device.
 * @param policy           what the tap did when its ring was full.
 * @param clockOriginNs    the engine clock's first reading, when the engine was built (its timer wheel's start).
 * @param epochOffsetNs    add to an engine timestamp to get wall-clock nanoseconds since 1970.
 * @param settings         {@link io.ringstack.config.Setting} values by name.
 * @param dropReasons      drop reason names; a verdict {@code i >= 0} stands for the i-th.
 */
public record SessionHeader(
    int formatVersion,
    String engineName,
    String profile,
    String deviceName,
    String ringstackVersion,
    String jvmVersion,
    boolean hasDevice,
    InterfaceConfig interfaceConfig,
    int mtu,
    TapPolicy policy,
    long clockOriginNs,
    long epochOffsetNs,
    Map<String, Long> settings,
    List<String> dropReasons)
{
    private static final int STRING_LENGTH_SIZE = 2;
    private static final int COUNT_SIZE = 2;
    private static final int SETTING_VALUE_SIZE = 8;
    private static final TapPolicy[] POLICIES = TapPolicy.values();

    /**
     * The header of a session about to be recorded from {@code context}, with this build's versions and reasons.
     */
    public static SessionHeader of(
        final EngineContext context, final String profile, final TapPolicy policy, final long clockOriginNs,
        final long epochOffsetNs)
    {
        final Map<String, Long> settings = new LinkedHashMap<>();
        for (final Setting setting : Setting.values())
        {
            if (setting.changesBehaviour())
            {
                settings.put(setting.settingName(), context.settings().longValue(setting));
            }
        }
        final List<String> reasons = new ArrayList<>();
        for (final DropReason reason : DropReason.values())
        {
            reasons.add(reason.name());
        }
        final String version = Ringstack.class.getPackage().getImplementationVersion();
        final boolean hasDevice = context.device() != null;
        return new SessionHeader(
            JournalFormat.VERSION,
            context.name(),
            profile,
            hasDevice ? context.device().name() : "",
            version == null ? "development build" : version,
            Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")",
            hasDevice,
            context.interfaceConfig(),
            hasDevice ? context.device().mtu() : 0,
            policy,
            clockOriginNs,
            epochOffsetNs,
            Collections.unmodifiableMap(settings),
            List.copyOf(reasons));
    }

    /**
     * A new engine context with this session's name, interface and settings; device, clock, tap and counters are
     * the caller's to set. A setting that changes behaviour but was not recorded (the journal is older than the
     * setting) takes {@link Setting#valueWhenUnrecorded()}, the behaviour of the engine that recorded it.
     */
    public EngineContext newEngineContext()
    {
        final EngineContext context = new EngineContext().name(engineName).interfaceConfig(interfaceConfig);
        for (final Setting setting : Setting.values())
        {
            if (setting.changesBehaviour() && !settings.containsKey(setting.settingName()))
            {
                context.set(setting, setting.valueWhenUnrecorded());
            }
        }
        for (final Map.Entry<String, Long> entry : settings.entrySet())
        {
            final Setting setting = Setting.byName(entry.getKey());
            if (setting != null)
            {
                context.set(setting, entry.getValue());
            }
        }
        return context;
    }

    /**
     * @return recorded settings this build does not know, whose effect a replay cannot reproduce.
     */
    public List<String> unknownSettings()
    {
        return settings.keySet().stream().filter((name) -> Setting.byName(name) == null).toList();
    }

    /**
     * @return {@code "delivered"}, {@code "held"} (a fragment, for reassembly), a drop reason's name, or
     * {@code "verdict N"} for one outside the table.
     */
    public String verdictName(final int verdict)
    {
        if (verdict == EngineTap.DELIVERED)
        {
            return "delivered";
        }
        if (verdict == EngineTap.HELD)
        {
            return "held";
        }
        return verdict >= 0 && verdict < dropReasons.size() ? dropReasons.get(verdict) : "verdict " + verdict;
    }

    /**
     * @return wall-clock nanoseconds since 1970 of an engine timestamp.
     */
    public long epochNs(final long engineNs)
    {
        return engineNs + epochOffsetNs;
    }

    /**
     * @return a one-line description, e.g. {@code "x86_64-e1000-guest (x86_64/e1000) 10.0.2.15/24 gw 10.0.2.2 ..."}.
     */
    public String describe()
    {
        return engineName + " (" + profile + ") " + addressText() + " gw " + (interfaceConfig.gateway() == 0 ? "none" :
            Ipv4Text.format(interfaceConfig.gateway())) + " mac " + macText() +
            (hasDevice ? ", device " + deviceName + " mtu " + mtu : ", no device") +
            ", written by ringstack " + ringstackVersion + " on JVM " + jvmVersion;
    }

    /**
     * @return the versions that wrote the journal, e.g. {@code "journal format 2, ringstack 0.1.0, JVM 17.0.15+6"}.
     */
    public String versions()
    {
        return "journal format " + formatVersion + ", ringstack " + ringstackVersion + ", JVM " + jvmVersion;
    }

    /**
     * @return one {@code "name = value"} per recorded setting, in the order recorded ({@link SettingText#line}).
     */
    public List<String> settingLines()
    {
        return settings.entrySet().stream().map((entry) -> SettingText.line(entry.getKey(), entry.getValue())).toList();
    }

    public int encodedLength()
    {
        int length = SESSION_VARIABLE_OFFSET;
        for (final String text : strings())
        {
            length += STRING_LENGTH_SIZE + utf8(text).length;
        }
        length += COUNT_SIZE;
        for (final String name : settings.keySet())
        {
            length += STRING_LENGTH_SIZE + utf8(name).length + SETTING_VALUE_SIZE;
        }
        length += COUNT_SIZE;
        for (final String reason : dropReasons)
        {
            length += STRING_LENGTH_SIZE + utf8(reason).length;
        }
        return length;
    }

    /**
     * Write the session body at {@code offset}.
     *
     * @return the bytes written, {@link #encodedLength()}.
     */
    public int encode(final MutableDirectBuffer buffer, final int offset)
    {
        buffer.putShort(offset + SESSION_VERSION_OFFSET, (short)formatVersion, BYTE_ORDER);
        buffer.putShort(offset + SESSION_FLAGS_OFFSET, (short)(hasDevice ? SESSION_FLAG_DEVICE : 0), BYTE_ORDER);
        buffer.putInt(offset + SESSION_ADDRESS_OFFSET, interfaceConfig.address(), BYTE_ORDER);
        buffer.putInt(offset + SESSION_GATEWAY_OFFSET, interfaceConfig.gateway(), BYTE_ORDER);
        buffer.putInt(offset + SESSION_PREFIX_LENGTH_OFFSET, interfaceConfig.prefixLength(), BYTE_ORDER);
        buffer.putLong(offset + SESSION_MAC_OFFSET, interfaceConfig.macAddress(), BYTE_ORDER);
        buffer.putLong(offset + SESSION_CLOCK_ORIGIN_OFFSET, clockOriginNs, BYTE_ORDER);
        buffer.putLong(offset + SESSION_EPOCH_OFFSET_OFFSET, epochOffsetNs, BYTE_ORDER);
        buffer.putInt(offset + SESSION_MTU_OFFSET, mtu, BYTE_ORDER);
        buffer.putInt(offset + SESSION_POLICY_OFFSET, policy.ordinal(), BYTE_ORDER);
        int index = offset + SESSION_VARIABLE_OFFSET;
        for (final String text : strings())
        {
            index = putString(buffer, index, text);
        }
        buffer.putShort(index, (short)settings.size(), BYTE_ORDER);
        index += COUNT_SIZE;
        for (final Map.Entry<String, Long> entry : settings.entrySet())
        {
            index = putString(buffer, index, entry.getKey());
            buffer.putLong(index, entry.getValue(), BYTE_ORDER);
            index += SETTING_VALUE_SIZE;
        }
        buffer.putShort(index, (short)dropReasons.size(), BYTE_ORDER);
        index += COUNT_SIZE;
        for (final String reason : dropReasons)
        {
            index = putString(buffer, index, reason);
        }
        return index - offset;
    }

    /**
     * Read a session body.
     *
     * @throws JournalException when the body is malformed or of a format version this build cannot read.
     */
    public static SessionHeader decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final Reader reader = new Reader(buffer, offset, length);
        reader.require(SESSION_VARIABLE_OFFSET);
        final int version = buffer.getShort(offset + SESSION_VERSION_OFFSET, BYTE_ORDER) & 0xFFFF;
        if (!JournalFormat.isReadable(version))
        {
            throw new JournalException(JournalFormat.unsupportedVersion(version));
        }
        final int policy = buffer.getInt(offset + SESSION_POLICY_OFFSET, BYTE_ORDER);
        if (policy < 0 || policy >= POLICIES.length)
        {
            throw new JournalException("malformed session header: tap policy " + policy);
        }
        final int prefixLength = buffer.getInt(offset + SESSION_PREFIX_LENGTH_OFFSET, BYTE_ORDER);
        if (prefixLength < 0 || prefixLength > 32)
        {
            throw new JournalException("malformed session header: prefix length " + prefixLength);
        }
        final InterfaceConfig config = new InterfaceConfig(
            buffer.getInt(offset + SESSION_ADDRESS_OFFSET, BYTE_ORDER),
            prefixLength,
            buffer.getInt(offset + SESSION_GATEWAY_OFFSET, BYTE_ORDER),
            buffer.getLong(offset + SESSION_MAC_OFFSET, BYTE_ORDER));
        reader.skip(SESSION_VARIABLE_OFFSET);
        final String engineName = reader.string();
        final String profile = reader.string();
        final String deviceName = reader.string();
        final String ringstackVersion = reader.string();
        final String jvmVersion = reader.string();
        final Map<String, Long> settings = new LinkedHashMap<>();
        for (int i = reader.count(); i > 0; i--)
        {
            settings.put(reader.string(), reader.int64());
        }
        final List<String> reasons = new ArrayList<>();
        for (int i = reader.count(); i > 0; i--)
        {
            reasons.add(reader.string());
        }
        return new SessionHeader(
            version,
            engineName,
            profile,
            deviceName,
            ringstackVersion,
            jvmVersion,
            (buffer.getShort(offset + SESSION_FLAGS_OFFSET, BYTE_ORDER) & SESSION_FLAG_DEVICE) != 0,
            config,
            buffer.getInt(offset + SESSION_MTU_OFFSET, BYTE_ORDER),
            POLICIES[policy],
            buffer.getLong(offset + SESSION_CLOCK_ORIGIN_OFFSET, BYTE_ORDER),
            buffer.getLong(offset + SESSION_EPOCH_OFFSET_OFFSET, BYTE_ORDER),
            Collections.unmodifiableMap(settings),
            List.copyOf(reasons));
    }

    /**
     * @return the address and prefix as text, e.g. {@code "10.0.2.15/24"}.
     */
    public String addressText()
    {
        return Ipv4Text.format(interfaceConfig.address()) + "/" + interfaceConfig.prefixLength();
    }

    /**
     * @return the MAC as text, e.g. {@code "52:54:00:12:34:56"}.
     */
    public String macText()
    {
        return MacText.format(interfaceConfig.macAddress());
    }

    private List<String> strings()
    {
        return List.of(engineName, profile, deviceName, ringstackVersion, jvmVersion);
    }

    private static byte[] utf8(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static int putString(final MutableDirectBuffer buffer, final int index, final String text)
    {
        final byte[] bytes = utf8(text);
        buffer.putShort(index, (short)bytes.length, BYTE_ORDER);
        buffer.putBytes(index + STRING_LENGTH_SIZE, bytes);
        return index + STRING_LENGTH_SIZE + bytes.length;
    }

    /**
     * Bounds-checked reads of the variable part.
     */
    private static final class Reader
    {
        private final DirectBuffer buffer;
        private final int end;
        private int index;

        Reader(final DirectBuffer buffer, final int offset, final int length)
        {
            this.buffer = buffer;
            this.index = offset;
            this.end = offset + length;
        }

        void require(final int bytes)
        {
            if (end - index < bytes)
            {
                throw new JournalException("malformed session header: truncated");
            }
        }

        void skip(final int bytes)
        {
            require(bytes);
            index += bytes;
        }

        int count()
        {
            require(COUNT_SIZE);
            final int count = buffer.getShort(index, BYTE_ORDER) & 0xFFFF;
            index += COUNT_SIZE;
            return count;
        }

        String string()
        {
            final int length = count();
            require(length);
            final String text = buffer.getStringWithoutLengthUtf8(index, length);
            index += length;
            return text;
        }

        long int64()
        {
            require(SETTING_VALUE_SIZE);
            final long value = buffer.getLong(index, BYTE_ORDER);
            index += SETTING_VALUE_SIZE;
            return value;
        }
    }
}
