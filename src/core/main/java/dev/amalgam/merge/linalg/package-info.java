/**
 * Linear algebra for the SVD-based merges: thin SVD, symmetric eigendecomposition and polar factors on
 * DJL arrays ({@link dev.amalgam.merge.linalg.Svd}, {@link dev.amalgam.merge.linalg.GramSvd}), low-rank
 * truncation and running independent decompositions on all cores.
 */
package dev.amalgam.merge.linalg;
