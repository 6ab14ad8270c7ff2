package dev.amalgam;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Holds the package structure of docs/architecture.md: no package cycles, and dependencies that point one way
 * through the layers core → models → train → eval → serving / demo → cli. A new import that breaks either fails the
 * build here, naming the offending classes.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        // main classes only: neither test-classes directories nor the lower modules' test jars (*-tests.jar),
        // whose fixtures share package names with main code
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("dev.amalgam");
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("dev.amalgam.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void layersPointOneWay() {
        Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Core").definedBy("dev.amalgam", "dev.amalgam.api..", "dev.amalgam.io..", "dev.amalgam.tensor..", "dev.amalgam.recipe..",
                        "dev.amalgam.merge", "dev.amalgam.merge.job..", "dev.amalgam.merge.linalg..",
                        "dev.amalgam.merge.lwptv..", "dev.amalgam.merge.mergekit..", "dev.amalgam.merge.ops..",
                        "dev.amalgam.merge.stages..")
                .layer("Models").definedBy("dev.amalgam.model..")
                .layer("Train").definedBy("dev.amalgam.train..")
                .layer("Eval").definedBy("dev.amalgam.eval..", "dev.amalgam.report..", "dev.amalgam.run..",
                        "dev.amalgam.merge.data..")
                .layer("Serving").definedBy("dev.amalgam.serving..")
                .layer("Demo").definedBy("dev.amalgam.demo..")
                .layer("Cli").definedBy("dev.amalgam.cli..", "dev.amalgam.bench..", "dev.amalgam.gpu..")
                .whereLayer("Core").mayNotAccessAnyLayer()
                .whereLayer("Models").mayOnlyAccessLayers("Core")
                .whereLayer("Train").mayOnlyAccessLayers("Core", "Models")
                .whereLayer("Eval").mayOnlyAccessLayers("Core", "Models", "Train")
                .whereLayer("Serving").mayOnlyAccessLayers("Core", "Models", "Train", "Eval")
                .whereLayer("Demo").mayOnlyAccessLayers("Core", "Models", "Train", "Eval")
                .whereLayer("Cli").mayOnlyAccessLayers("Core", "Models", "Train", "Eval", "Serving", "Demo")
                .check(classes);
    }
}
