package dev.amalgam.spark;

import ai.djl.Device;
import dev.amalgam.AmalgamException;
import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A task's device from the resources Spark assigned it (no GPU needed: only the mapping is checked; the
 * scheduling itself needs a cluster with GPUs, docs/spark.md).
 */
class TaskDeviceTest {

    @Test
    void firstAddressOfTheNamedResourceIsTheCudaIndex() {
        Map<String, ResourceInformation> r = Map.of("gpu", new ResourceInformation("gpu", new String[] {"3", "5"}),
                "fpga", new ResourceInformation("fpga", new String[] {"0"}));
        assertEquals(Device.gpu(3), TaskDevice.of(r, "gpu"));
        assertEquals(Device.gpu(0), TaskDevice.of(r, "fpga"), "spark.amalgam.gpu.resource names another resource");
    }

    @Test
    void noResourceMeansCpu() {
        assertEquals(Device.cpu(), TaskDevice.of(Map.of(), "gpu"));
        assertEquals(Device.cpu(), TaskDevice.of(Map.of("gpu", new ResourceInformation("gpu", new String[0])), "gpu"));
    }

    @Test
    void anAddressThatIsNoIndexIsOneLine() {
        AmalgamException e = assertThrows(AmalgamException.class,
                () -> TaskDevice.of(Map.of("gpu", new ResourceInformation("gpu", new String[] {"GPU-8f2c"})), "gpu"));
        assertTrue(e.getMessage().contains("address 'GPU-8f2c' is not a CUDA device index"), e.getMessage());
    }
}
