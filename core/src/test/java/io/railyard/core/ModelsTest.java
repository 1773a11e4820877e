package io.railyard.core;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The model lookup on core's own class path: the three core models are found by name and in the
 * full list alike, a module that is absent (loop, cluster) is absent both ways, and an unknown name
 * is refused naming the models there are.
 */
class ModelsTest {

    @Test
    void coreModelsAreFoundByNameAndInTheList() {
        assertEquals(List.of("processes", "threads", "virtual"), Models.names());
        for (String name : Models.names()) {
            assertTrue(Models.has(name), name);
            assertEquals(name, Models.get(name).name());
            assertSame(Models.get(name), Models.get(name), "a built-in provider is made once");
        }
        for (ModelProvider p : Models.all()) assertSame(p.getClass(), Models.get(p.name()).getClass(), p.name());
    }

    @Test
    void aModuleThatIsAbsentHasNoModel() {
        assertFalse(Models.has("loop"), "the loop module is not on core's class path");
        assertFalse(Models.has("cluster"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Models.get("loop"));
        assertEquals("unknown model 'loop': choose one of processes, threads, virtual", e.getMessage());
    }

    @Test
    void anUnknownNameIsRefusedNamingTheModelsThereAre() {
        assertFalse(Models.has("fibers"));
        assertFalse(Models.has(null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Models.open("fibers", PoolSpec.of(1)));
        assertEquals("unknown model 'fibers': choose one of processes, threads, virtual", e.getMessage());
    }
}
