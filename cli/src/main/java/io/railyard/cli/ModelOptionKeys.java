package io.railyard.cli;

import io.railyard.core.ModelProvider;
import io.railyard.core.Models;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Refuses a {@code --model-option} key no model reads, naming the ones that are read, rather than
 * ignoring it (a typo would otherwise run with the default, silently). Stateless.
 */
final class ModelOptionKeys {
    private ModelOptionKeys() {}

    /** @throws UserError for a key model {@code model} does not read */
    static void check(String model, Map<String, String> options) {
        ModelProvider p = Models.get(model);
        refuseUnknown(options.keySet(), new LinkedHashSet<>(p.optionKeys()), "model " + model);
    }

    /** For commands that run several models: a key must be read by at least one of them. */
    static void checkAny(Map<String, String> options) {
        Set<String> known = new LinkedHashSet<>();
        for (ModelProvider p : Models.all()) known.addAll(p.optionKeys());
        refuseUnknown(options.keySet(), known, "any model");
    }

    private static void refuseUnknown(Collection<String> given, Set<String> known, String whose) {
        for (String key : given) {
            if (known.contains(key)) continue;
            throw new UserError("--model-option " + key + " is not an option of " + whose + ": "
                    + (known.isEmpty() ? "it takes none" : "known options are " + String.join(", ", known)));
        }
    }
}
