/**
 * Project-wide basics: {@link dev.amalgam.AmalgamException} (a user-facing error reported as one line,
 * exit 2) and {@link dev.amalgam.Messages} (library messages through SLF4J; only the CLI prints).
 */
package dev.amalgam;
