package io.ringstack.counters;

import org.agrona.concurrent.status.CountersReader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes counters files by hand, to give readers and writers headers that {@link CountersFile} would not write.
 */
final class CountersFileHeaders
{
    private CountersFileHeaders()
    {
    }

    static void writeFile(
        final Path file, final int layoutVersion, final int maxCounters, final long ownerPid, final long startMs)
        throws IOException
    {
        final int metaDataLength = maxCounters * CountersReader.METADATA_LENGTH;
        final int valuesLength = maxCounters * CountersReader.COUNTER_LENGTH;
        final ByteBuffer bytes = ByteBuffer.allocate(CountersFile.HEADER_LENGTH + metaDataLength + valuesLength)
            .order(ByteOrder.nativeOrder())
            .putInt(CountersFile.MAGIC_OFFSET, CountersFile.MAGIC)
            .putInt(CountersFile.LAYOUT_VERSION_OFFSET, layoutVersion)
            .putInt(CountersFile.METADATA_LENGTH_OFFSET, metaDataLength)
            .putInt(CountersFile.VALUES_LENGTH_OFFSET, valuesLength)
            .putLong(CountersFile.OWNER_PID_OFFSET, ownerPid)
            .putLong(CountersFile.START_TIMESTAMP_OFFSET, startMs);

        Files.write(file, bytes.array());
    }
}
