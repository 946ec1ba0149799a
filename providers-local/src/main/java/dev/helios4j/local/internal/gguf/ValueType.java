package dev.helios4j.local.internal.gguf;

/** The metadata value types of GGUF, numbered as in the file. */
enum ValueType {
    UINT8(1),
    INT8(1),
    UINT16(2),
    INT16(2),
    UINT32(4),
    INT32(4),
    FLOAT32(4),
    BOOL(1),
    STRING(8),
    ARRAY(12),
    UINT64(8),
    INT64(8),
    FLOAT64(8);

    /**
     * The fewest bytes a value of this type takes in a file (a string's length field, an array's
     * type and count). Counts read from a file are bounded with it before anything is allocated.
     */
    final int minBytes;

    ValueType(int minBytes) {
        this.minBytes = minBytes;
    }

    static ValueType byId(long id) {
        ValueType[] all = values();
        return id >= 0 && id < all.length ? all[(int) id] : null;
    }

    int id() {
        return ordinal();
    }
}
