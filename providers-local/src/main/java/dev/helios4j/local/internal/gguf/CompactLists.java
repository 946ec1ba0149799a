package dev.helios4j.local.internal.gguf;

import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/**
 * Immutable lists over primitive arrays, for GGUF array values. A 150,000-token vocabulary costs
 * its UTF-8 bytes plus one int per token instead of 150,000 String and boxed objects, which keeps
 * the memory a header can cost close to its size in the file.
 */
final class CompactLists {
    private CompactLists() {
    }

    static final class Ints extends AbstractList<Integer> implements RandomAccess {
        private final int[] values;

        Ints(int[] values) {
            this.values = values;
        }

        @Override
        public Integer get(int index) {
            return values[index];
        }

        @Override
        public int size() {
            return values.length;
        }
    }

    static final class Longs extends AbstractList<Long> implements RandomAccess {
        private final long[] values;

        Longs(long[] values) {
            this.values = values;
        }

        @Override
        public Long get(int index) {
            return values[index];
        }

        @Override
        public int size() {
            return values.length;
        }
    }

    static final class Floats extends AbstractList<Float> implements RandomAccess {
        private final float[] values;

        Floats(float[] values) {
            this.values = values;
        }

        @Override
        public Float get(int index) {
            return values[index];
        }

        @Override
        public int size() {
            return values.length;
        }
    }

    static final class Doubles extends AbstractList<Double> implements RandomAccess {
        private final double[] values;

        Doubles(double[] values) {
            this.values = values;
        }

        @Override
        public Double get(int index) {
            return values[index];
        }

        @Override
        public int size() {
            return values.length;
        }
    }

    static final class Booleans extends AbstractList<Boolean> implements RandomAccess {
        private final boolean[] values;

        Booleans(boolean[] values) {
            this.values = values;
        }

        @Override
        public Boolean get(int index) {
            return values[index];
        }

        @Override
        public int size() {
            return values.length;
        }
    }

    /** Strings kept as one UTF-8 blob; element i is bytes [ends[i-1], ends[i]). */
    static final class Strings extends AbstractList<String> implements RandomAccess {
        private final byte[] blob;
        private final int[] ends;

        Strings(byte[] blob, int[] ends) {
            this.blob = blob;
            this.ends = ends;
        }

        @Override
        public String get(int index) {
            int start = index == 0 ? 0 : ends[index - 1];
            return new String(blob, start, ends[index] - start, StandardCharsets.UTF_8);
        }

        @Override
        public int size() {
            return ends.length;
        }

        /**
         * The first two ids whose bytes are equal, as {@code {first, second}}, or null. An empty
         * element counts as the text {@code emptyName.apply(id)}. Compares stored bytes (not all
         * files hold valid UTF-8) through an open-addressing table of ids, allocating nothing per
         * element: a 150,000-token vocabulary takes milliseconds.
         */
        int[] firstDuplicate(java.util.function.IntFunction<String> emptyName) {
            int n = ends.length;
            int[] table = new int[Integer.highestOneBit(Math.max(2, n) * 2 - 1) * 2]; // id + 1, 0 is free
            int mask = table.length - 1;
            for (int i = 0; i < n; i++) {
                int start = start(i);
                if (ends[i] == start) {
                    continue;
                }
                int found = probe(table, mask, blob, start, ends[i], i + 1);
                if (found >= 0) {
                    return new int[] {found, i};
                }
            }
            for (int i = 0; i < n; i++) {
                if (ends[i] == start(i)) {
                    byte[] name = emptyName.apply(i).getBytes(StandardCharsets.UTF_8);
                    int found = probe(table, mask, name, 0, name.length, 0);
                    if (found >= 0) {
                        return new int[] {Math.min(found, i), Math.max(found, i)};
                    }
                }
            }
            return null;
        }

        private int start(int index) {
            return index == 0 ? 0 : ends[index - 1];
        }

        /** Finds bytes [from, to) of {@code a} in the table, or inserts {@code insert} (an id + 1; 0: do not). */
        private int probe(int[] table, int mask, byte[] a, int from, int to, int insert) {
            int h = 0x811c9dc5;
            for (int k = from; k < to; k++) {
                h = (h ^ a[k]) * 0x01000193;
            }
            for (int slot = (h ^ (h >>> 16)) & mask; ; slot = (slot + 1) & mask) {
                int id = table[slot] - 1;
                if (id < 0) {
                    if (insert > 0) {
                        table[slot] = insert;
                    }
                    return -1;
                }
                if (Arrays.equals(blob, start(id), ends[id], a, from, to)) {
                    return id;
                }
            }
        }

        static byte[] trim(byte[] blob, int used) {
            return used == blob.length ? blob : Arrays.copyOf(blob, used);
        }
    }
}
