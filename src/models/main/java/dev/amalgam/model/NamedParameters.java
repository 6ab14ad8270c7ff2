package dev.amalgam.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.amalgam.AmalgamException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The DJL {@link Parameter}s of one model keyed by their Hugging Face names, with the shapes the
 * config implies. Loads them from a checkpoint by name and overwrites them in place.
 */
public final class NamedParameters implements InPlaceParameters, WeightLookup {
    private static final NDIndex ALL = new NDIndex("...");

    private final Map<String, Parameter> params = new LinkedHashMap<>();
    private final Map<String, Shape> shapes = new LinkedHashMap<>();
    private final ParameterSnapshot snapshot = new ParameterSnapshot();

    /** Declares a parameter; returns its name for convenience. */
    public String declare(String name, long... shape) {
        Parameter.Type type = name.endsWith("weight") ? Parameter.Type.WEIGHT
                : name.endsWith("bias") ? Parameter.Type.BIAS : Parameter.Type.OTHER;
        if (params.put(name, Parameter.builder().setName(name).setType(type).build()) != null) {
            throw new IllegalStateException("parameter declared twice: " + name);
        }
        shapes.put(name, new Shape(shape));
        return name;
    }

    /** Every declared name with the shape the config implies, in declaration order. */
    public Map<String, Shape> shapes() {
        return java.util.Collections.unmodifiableMap(shapes);
    }

    public boolean isDeclared(String name) {
        return params.containsKey(name);
    }

    public Iterable<Parameter> all() {
        return params.values();
    }


    /** Reads every declared parameter from {@code weights} into {@code manager}, checking shapes. */
    public void load(ModelWeights weights, NDManager manager) {
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            String name = e.getKey();
            if (!weights.contains(name)) {
                throw new AmalgamException(weights.describe() + ": missing tensor '" + name + "'");
            }
            NDArray a = weights.load(name, manager);
            Shape want = shapes.get(name);
            if (!a.getShape().equals(want)) {
                Shape got = a.getShape();
                a.close();
                throw new AmalgamException(weights.describe() + ": tensor '" + name + "' has shape " + got
                        + ", the config implies " + want);
            }
            e.getValue().setArray(a);
        }
    }

    @Override
    public List<String> parameterNames() {
        return new ArrayList<>(params.keySet());
    }

    @Override
    public NDArray get(String name) {
        return parameter(name);
    }

    @Override
    public NDArray parameter(String name) {
        NDArray a = require(name).getArray();
        if (a == null) {
            throw new IllegalStateException("parameter not loaded: " + name);
        }
        return a;
    }

    @Override
    public void setParameter(String name, NDArray value) {
        NDArray target = parameter(name);
        if (!Arrays.equals(target.getShape().getShape(), value.getShape().getShape())) {
            throw new AmalgamException("tensor '" + name + "' has shape " + value.getShape()
                    + ", the model parameter has " + target.getShape());
        }
        NDArray v = value;
        if (v.getDataType() != target.getDataType() || !v.getDevice().equals(target.getDevice())) {
            v = v.toDevice(target.getDevice(), true).toType(target.getDataType(), false);
        }
        target.set(ALL, v);
        if (v != value) {
            v.close();
        }
    }

    @Override
    public void snapshot() {
        snapshot.take(this, params.values().iterator().next().getArray().getManager());
    }

    @Override
    public void restore() {
        snapshot.restore(this);
    }

    private Parameter require(String name) {
        Parameter p = params.get(name);
        if (p == null) {
            throw new AmalgamException("model has no parameter '" + name + "'");
        }
        return p;
    }
}
