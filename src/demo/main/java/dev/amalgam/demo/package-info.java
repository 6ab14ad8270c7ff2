/**
 * {@code amalgam demo}: fine-tunes a small zoo per half (text: {@link dev.amalgam.demo.TextZoo}; image:
 * {@code demo.image}), then merges and evaluates it with the same engine as {@code amalgam run}
 * ({@link dev.amalgam.demo.DemoRunner}, suites {@link dev.amalgam.demo.TextDemoSuite} and
 * {@link dev.amalgam.demo.ImageDemoSuite}).
 */
package dev.amalgam.demo;
