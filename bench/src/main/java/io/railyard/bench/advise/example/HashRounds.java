package io.railyard.bench.advise.example;

import io.railyard.core.TaskFunction;

import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * An example task for {@code railyard advise}: hashes its input line with SHA-256 20,000 times
 * (a few milliseconds of pure CPU), like a password-hashing or checksum job. Try:
 * {@code ./railyard advise --task io.railyard.bench.advise.example.HashRounds}.
 *
 * <p>Stateless: one instance may run on many threads at once.
 */
public final class HashRounds implements TaskFunction<String, String> {
    private static final int ROUNDS = 20_000;

    @Override
    public String apply(String input) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] h = input.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < ROUNDS; i++) h = sha.digest(h);
        return HexFormat.of().formatHex(h, 0, 8);
    }
}
