package dev.amalgam.spark;

import ai.djl.Device;
import dev.amalgam.AmalgamException;
import org.apache.spark.resource.ResourceInformation;

import java.util.Map;

/**
 * The device of a Spark task: the first address of its GPU resource when Spark's resource scheduling
 * gave it one ({@code spark.task.resource.gpu.amount}, docs/spark.md), otherwise the CPU.
 */
final class TaskDevice {
    private TaskDevice() {
    }

    /** @param resources the task's ({@code TaskContext.get().resourcesJMap()}) */
    static Device of(Map<String, ResourceInformation> resources, String resource) {
        ResourceInformation gpu = resources.get(resource);
        if (gpu == null || gpu.addresses().length == 0) {
            return Device.cpu();
        }
        String address = gpu.addresses()[0];
        try {
            return Device.gpu(Integer.parseInt(address.trim()));
        } catch (NumberFormatException e) {
            throw new AmalgamException("Spark resource '" + resource + "': address '" + address
                    + "' is not a CUDA device index (the discovery script must print indexes)");
        }
    }
}
