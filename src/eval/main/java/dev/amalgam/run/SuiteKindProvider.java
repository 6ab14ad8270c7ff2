package dev.amalgam.run;

/**
 * Contributes suite kinds to {@link SuiteKinds} from a module above {@code run} (the demo's suites), found with
 * {@link java.util.ServiceLoader} through {@code META-INF/services/dev.amalgam.run.SuiteKindProvider}.
 */
public interface SuiteKindProvider {
    /** Registers this provider's kinds with {@link SuiteKinds#register}. */
    void registerKinds();
}
