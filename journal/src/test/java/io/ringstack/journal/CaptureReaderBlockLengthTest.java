package io.ringstack.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A pcapng block's total length must cover its fixed fields (pcapng 4.1–4.4): a shorter one is refused as malformed
 * at its offset, never read past; the shortest well-formed blocks are read.
 */
class CaptureReaderBlockLengthTest
{
    private static final int SECTION_HEADER_LENGTH = 28;
    private static final int INTERFACE_DESCRIPTION_LENGTH = 20;
    private static final int PACKET_BLOCK_OFFSET = SECTION_HEADER_LENGTH + INTERFACE_DESCRIPTION_LENGTH;

    @TempDir
    Path directory;

    @ParameterizedTest(name = "block type {0} of {1} bytes is malformed")
    @CsvSource({
        "6, 12", "6, 16", "6, 28",
        "2, 12", "2, 28",
        "3, 12",
    })
    void aPacketBlockShorterThanItsFixedFieldsIsRefusedAtItsOffset(final int type, final int length)
        throws IOException
    {
        final Path capture = write(packetBlock(type, length));

        try (CaptureReader reader = CaptureReader.open(capture))
        {
            final JournalException refusal = assertThrows(JournalException.class,
                () -> reader.read((i, t, d, packet, offset, captured, wire) -> { }));
            assertEquals(capture + ": malformed pcapng block at byte " + PACKET_BLOCK_OFFSET, refusal.getMessage());
        }
    }

    @Test
    void anInterfaceDescriptionShorterThanItsFixedFieldsIsRefused() throws IOException
    {
        final ByteBuffer file = ByteBuffer.allocate(SECTION_HEADER_LENGTH + 12).order(ByteOrder.LITTLE_ENDIAN);
        sectionHeader(file);
        file.putInt(PcapFormat.INTERFACE_DESCRIPTION_BLOCK).putInt(12).putInt(12);
        final Path capture = write(file.array());

        try (CaptureReader reader = CaptureReader.open(capture))
        {
            final JournalException refusal = assertThrows(JournalException.class,
                () -> reader.read((i, t, d, packet, offset, captured, wire) -> { }));
            assertEquals(capture + ": malformed pcapng block at byte " + SECTION_HEADER_LENGTH, refusal.getMessage());
        }
    }

    @ParameterizedTest(name = "block type {0} of {1} bytes carries an empty packet")
    @CsvSource({ "6, 32", "2, 32", "3, 16" })
    void theShortestPacketBlocksAreReadAsEmptyPackets(final int type, final int length) throws IOException
    {
        final Path capture = write(packetBlock(type, length));

        try (CaptureReader reader = CaptureReader.open(capture))
        {
            final int[] capturedLengths = new int[1];
            assertEquals(1, reader.read((i, t, d, packet, offset, captured, wire) -> capturedLengths[0] += captured));
            assertEquals(0, capturedLengths[0]);
        }
    }

    /**
     * A section header, an Ethernet interface, then one block of {@code type} whose length fields say
     * {@code length}, zero-filled between them.
     */
    private static byte[] packetBlock(final int type, final int length)
    {
        final ByteBuffer file = ByteBuffer.allocate(PACKET_BLOCK_OFFSET + length).order(ByteOrder.LITTLE_ENDIAN);
        sectionHeader(file);
        file.putInt(PcapFormat.INTERFACE_DESCRIPTION_BLOCK).putInt(INTERFACE_DESCRIPTION_LENGTH)
            .putShort((short)PcapFormat.LINKTYPE_ETHERNET).putShort((short)0).putInt(0)
            .putInt(INTERFACE_DESCRIPTION_LENGTH);
        file.putInt(type).putInt(length);
        file.position(PACKET_BLOCK_OFFSET + length - 4);
        file.putInt(length);
        return file.array();
    }

    private static void sectionHeader(final ByteBuffer file)
    {
        file.putInt(PcapFormat.SECTION_HEADER_BLOCK).putInt(SECTION_HEADER_LENGTH).putInt(PcapFormat.BYTE_ORDER_MAGIC)
            .putShort((short)1).putShort((short)0).putLong(-1).putInt(SECTION_HEADER_LENGTH);
    }

    private Path write(final byte[] bytes) throws IOException
    {
        final Path capture = directory.resolve("capture.pcapng");
        Files.write(capture, bytes);
        return capture;
    }
}
