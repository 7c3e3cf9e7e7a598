package dev.nnlab.store;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A store test that runs once on each {@link Backend}, on a fresh store in the test's temp folder that is
 * open for each test. Subclasses add their fixture in their own {@code @BeforeEach}, which JUnit runs after
 * this class's.
 */
@ParameterizedClass
@EnumSource(Backend.class)
abstract class StoreOnEachBackend {

    @Parameter
    Backend backend;

    @TempDir
    Path dir;

    /** Where the store lives: reopening it sees what the test wrote. */
    StoreLocation location;
    Store store;

    /** Opens the store; a test that needs another owner or a fixed clock overrides this. */
    Store open(StoreLocation location) {
        return location.open();
    }

    @BeforeEach
    final void openStore() {
        location = backend.newLocation(dir);
        store = open(location);
    }

    @AfterEach
    final void closeStore() {
        if (store != null) store.close();
    }
}
