package dev.nnlab.runs;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;

/**
 * The JSON of runs, for the HTTP API and the command line alike ({@code runs ls/show --format json}
 * print exactly what the API answers): Jackson, with NaN and infinities written as {@code null}. Jackson would
 * otherwise write {@code "NaN"} (a string where a number belongs) or a bare {@code NaN} (not JSON at
 * all); a diverged loss must reach a chart as a gap, and JSON can only say that with null.
 */
public final class RunJson {
    private RunJson() {}

    public static ObjectMapper mapper() {
        SimpleModule finite = new SimpleModule("nnlab-finite-numbers");
        finite.addSerializer(Double.class, new FiniteDouble());
        finite.addSerializer(double.class, new FiniteDouble());
        finite.addSerializer(Float.class, new FiniteFloat());
        finite.addSerializer(float.class, new FiniteFloat());
        return new ObjectMapper().registerModule(finite);
    }

    private static final class FiniteDouble extends StdSerializer<Double> {
        FiniteDouble() { super(Double.class); }

        @Override
        public void serialize(Double v, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (Double.isFinite(v)) gen.writeNumber(v);
            else gen.writeNull();
        }
    }

    private static final class FiniteFloat extends StdSerializer<Float> {
        FiniteFloat() { super(Float.class); }

        @Override
        public void serialize(Float v, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (Float.isFinite(v)) gen.writeNumber(v);
            else gen.writeNull();
        }
    }
}
