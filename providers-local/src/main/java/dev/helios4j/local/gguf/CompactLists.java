package dev.helios4j.local.gguf;

import java.nio.ByteBuffer;
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

        /** Element {@code index}'s bytes as stored in the file (not all files hold valid UTF-8). */
        ByteBuffer bytes(int index) {
            int start = index == 0 ? 0 : ends[index - 1];
            return ByteBuffer.wrap(blob, start, ends[index] - start).slice().asReadOnlyBuffer();
        }

        static byte[] trim(byte[] blob, int used) {
            return used == blob.length ? blob : Arrays.copyOf(blob, used);
        }
    }
}
