package dev.amalgam.gpu;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ldd -r} output as glibc 2.36 prints it (lines hand-copied from a run on a JNI built for another torch). */
class LddReportTest {

    @Test
    void cleanOutputHasNothingMissing() {
        String out = "\tlinux-vdso.so.1 (0x00007ffd5a9f2000)\n"
                + "\tlibc10.so => /opt/torch/lib/libc10.so (0x00007f0c6a000000)\n"
                + "\tlibtorch_cpu.so => /opt/torch/lib/libtorch_cpu.so (0x00007f0c50000000)\n"
                + "\t/lib64/ld-linux-x86-64.so.2 (0x00007f0c6a400000)\n";
        LddReport r = LddReport.parse(out);
        assertTrue(r.clean());
    }

    @Test
    void undefinedSymbolsAndMissingLibrariesAreListedInOrder() {
        String out = "\tlibc10.so => /opt/torch/lib/libc10.so (0x00007f0c6a000000)\n"
                + "\tlibtorch_cuda.so => not found\n"
                + "undefined symbol: _ZN2at4_ops10fft_rfftn4callERKNS_6TensorE\t(./libdjl_torch.so)\n"
                + "undefined symbol: _ZN3c1019UndefinedTensorImpl10_singletonE\t(./libdjl_torch.so)\n";
        LddReport r = LddReport.parse(out);
        assertEquals(List.of("libtorch_cuda.so"), r.missingLibraries());
        assertEquals(List.of("_ZN2at4_ops10fft_rfftn4callERKNS_6TensorE", "_ZN3c1019UndefinedTensorImpl10_singletonE"),
                r.undefinedSymbols());
    }
}
