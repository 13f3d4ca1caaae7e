package io.ringstack.cli;

import java.util.Map;

/**
 * The little JSON the journal commands print with {@code --json}: one object, built in order, strings escaped.
 */
final class JournalJson
{
    private final StringBuilder text = new StringBuilder("{");
    private boolean first = true;

    JournalJson field(final String name, final String value)
    {
        return name(name).quote(value);
    }

    JournalJson field(final String name, final long value)
    {
        name(name).text.append(value);
        return this;
    }

    JournalJson field(final String name, final boolean value)
    {
        name(name).text.append(value);
        return this;
    }

    /**
     * A field whose value is JSON already (an object or array built by the caller), or {@code null}.
     */
    JournalJson raw(final String name, final String json)
    {
        name(name).text.append(json == null ? "null" : json);
        return this;
    }

    /**
     * A field whose value is an object of counts.
     */
    JournalJson counts(final String name, final Map<String, Long> counts)
    {
        final JournalJson object = new JournalJson();
        counts.forEach(object::field);
        return raw(name, object.toString());
    }

    public String toString()
    {
        return text + "}";
    }

    private JournalJson name(final String name)
    {
        if (!first)
        {
            text.append(", ");
        }
        first = false;
        return quote(name).colon();
    }

    private JournalJson colon()
    {
        text.append(": ");
        return this;
    }

    private JournalJson quote(final String value)
    {
        if (value == null)
        {
            text.append("null");
            return this;
        }
        text.append('"');
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            switch (c)
            {
                case '"' -> text.append("\\\"");
                case '\\' -> text.append("\\\\");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                case '\t' -> text.append("\\t");
                default ->
                {
                    if (c < 0x20)
                    {
                        text.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        text.append(c);
                    }
                }
            }
        }
        text.append('"');
        return this;
    }
}
