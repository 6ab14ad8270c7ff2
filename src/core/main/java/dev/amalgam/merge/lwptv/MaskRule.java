package dev.amalgam.merge.lwptv;

/** Turns a task × layer saliency matrix into a 0/1 keep mask (true = keep the task's layer update). */
public interface MaskRule {

    String name();

    String describe();

    boolean[][] mask(double[][] saliency);
}
