package dev.nnlab.nn.layers;

import dev.nnlab.nn.Parameters;

import java.util.Arrays;

/**
 * What max and average pooling share: the (C, H, W) -> (C, OH, OW) shape arithmetic by
 * {@link WindowGeometry}, the same window per channel, no parameters.
 */
abstract sealed class Pool2d implements WindowGeometry.Windowed permits MaxPool2d, AvgPool2d {
    final WindowGeometry geometry;
    String name;
    int channels, height, width, outHeight, outWidth;

    Pool2d(WindowGeometry geometry) {
        this.geometry = geometry;
    }

    int[] buildShape(String name, int[] inputShape) {
        if (inputShape.length != 3) {
            throw new WindowGeometry.ShapeException(name + ": pooling needs (C, H, W) samples, got " + Arrays.toString(inputShape));
        }
        if (geometry.padding() * 2 >= geometry.kernel()) {
            // A window could then lie wholly in the padding: max would have nothing to pick.
            throw new WindowGeometry.ShapeException(name + ": pooling padding " + geometry.padding()
                    + " must be less than half the kernel " + geometry.kernel());
        }
        this.name = name;
        channels = inputShape[0];
        height = inputShape[1];
        width = inputShape[2];
        outHeight = geometry.outputSize(name, "H", height);
        outWidth = geometry.outputSize(name, "W", width);
        return new int[] {channels, outHeight, outWidth};
    }

    @Override
    public WindowGeometry geometry() { return geometry; }

}
