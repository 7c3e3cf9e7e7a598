package dev.nnlab.nn.layers;

import dev.nnlab.nn.Parameters;
import dev.nnlab.nn.Sequential;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link Conv2d} against the seven-loop definition ({@link Conv2dTest}) on the sizes that take the paths for wide
 * vectors on 16 lanes: images of whole tiles of 4 vectors ({@code Conv3x3Wide}: forward, input gradient, and the
 * weight gradient along planes where the filters fit a vector) and small images of whole strips of 2 vectors with
 * 32 or more channels and filters ({@code Conv3x3Patches}). On other widths the same shapes take the other paths.
 */
class Conv2dWideTest {
    static List<Conv2dTest.Shape> shapes() {
        return List.of(
                new Conv2dTest.Shape(3, 16, 4, 32, 16, 3, 1, 1),  // ResNet's first stage, a few rows: 3 samples over 2 parts
                new Conv2dTest.Shape(2, 1, 4, 16, 5, 3, 1, 1),    // a first layer, a filter remainder of 1 after the blocks of 4
                new Conv2dTest.Shape(1, 3, 8, 16, 17, 3, 1, 1),   // more filters than a vector: the product for the weight gradient
                new Conv2dTest.Shape(2, 32, 4, 8, 33, 3, 1, 1),   // over the pixels: 33 filters (12 + 12 + 8 + 1), 32 flipped
                new Conv2dTest.Shape(3, 40, 8, 8, 36, 3, 1, 1));  // ResNet's 8x8 stage, odd channel counts, 3 samples
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void forward_and_both_backward_passes_match_the_seven_loop_definition(Conv2dTest.Shape s) {
        Sequential net = Conv2dTest.conv(s, 3);
        Tensor x = LayerGradients.uniform(4, -1, 1, s.n(), s.c(), s.h(), s.w());
        Tensor y = net.forward(x, true);
        Parameters p = net.params();
        double[] expectedY = Conv2dTest.naiveForward(s, x.data, p.value("conv0.weight").toArray(), p.value("conv0.bias").toArray());
        assertClose("y", y.toArray(), expectedY);
        Tensor dy = LayerGradients.uniform(5, -1, 1, y.shape());
        p.zeroGrad();
        Tensor dx = net.backward(dy);
        double[][] expected = Conv2dTest.naiveBackward(s, x.data, p.value("conv0.weight").toArray(), dy.data);
        assertClose("dx", dx.toArray(), expected[0]);
        assertClose("dW", p.grad("conv0.weight").toArray(), expected[1]);
        assertClose("db", p.grad("conv0.bias").toArray(), expected[2]);
    }

    private static void assertClose(String what, float[] actual, double[] expected) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("%s[%d]", what, i).isCloseTo(expected[i], within(1e-4 * (1 + Math.abs(expected[i]))));
        }
    }
}
