package dev.nnlab.cli;

import dev.nnlab.store.StoreLocation;
import picocli.CommandLine;

/** {@code --db VALUE}: a bad value is refused before anything opens, naming the forms allowed (exit 2). */
public final class StoreLocationConverter implements CommandLine.ITypeConverter<StoreLocation> {
    @Override
    public StoreLocation convert(String value) {
        try {
            return StoreLocation.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
