package dev.amalgam.spark;

import ai.djl.Device;
import dev.amalgam.AmalgamException;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

/**
 * The device of a Spark task: the first address of its GPU resource when Spark's resource scheduling
 * gave it one ({@code spark.task.resource.gpu.amount}, docs/spark.md), otherwise the CPU.
 */
final class TaskDevice {
    private TaskDevice() {
    }

    static Device of(TaskContext task, String resource) {
        ResourceInformation gpu = task == null ? null : task.resourcesJMap().get(resource);
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
