package dev.amalgam.eval.metrics;

final class Checks {
    private Checks() {
    }

    static void sameLength(int[] a, int[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("lengths differ: " + a.length + " vs " + b.length);
        }
        if (a.length == 0) {
            throw new IllegalArgumentException("no examples");
        }
    }
}
