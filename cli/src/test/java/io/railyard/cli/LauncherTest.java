package io.railyard.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The launcher script's JDK search, run for real with a fake old JDK on the PATH. */
class LauncherTest {

    @TempDir
    Path tmp;

    private static Path launcher() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("railyard"))) p = p.getParent();
        assertNotNull(p, "the railyard launcher is at the repository root");
        return p.resolve("railyard");
    }

    private Path fakeJdk(String name, int version) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve(name).resolve("bin"));
        String script = "#!/bin/sh\necho '    java.specification.version = " + version + "' >&2\n";
        for (String tool : new String[]{"java", "javac"}) {
            Path f = bin.resolve(tool);
            Files.writeString(f, script);
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return tmp.resolve(name);
    }

    @Test
    void withoutAJdk21ItSaysWhatToInstallAndExits2() throws Exception {
        Path old = fakeJdk("jdk17", 17);
        Path emptyJvmDir = Files.createDirectories(tmp.resolve("jvm"));
        ProcessBuilder pb = new ProcessBuilder("bash", launcher().toString(), "run", "cpu").redirectErrorStream(true);
        pb.environment().remove("JAVA_HOME");
        pb.environment().put("PATH", old.resolve("bin") + ":/usr/bin:/bin");
        pb.environment().put("RAILYARD_JVM_DIR", emptyJvmDir.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), out);
        assertEquals(1, out.lines().count(), out);
        assertTrue(out.contains("needs a JDK 21 or newer"), out);
        assertTrue(out.contains("java 17"), "names what it found: " + out);
        assertTrue(out.contains("Install"), out);
    }

    @Test
    void aNewEnoughJdkInTheJvmDirectoryIsFound() throws Exception {
        Path old = fakeJdk("jdk17", 17);
        Path jvmDir = Files.createDirectories(tmp.resolve("jvm"));
        Path real = Path.of(System.getProperty("java.home"));
        Files.createSymbolicLink(jvmDir.resolve("real-jdk"), real);
        ProcessBuilder pb = new ProcessBuilder("bash", launcher().toString(), "java-home").redirectErrorStream(true);
        pb.environment().remove("JAVA_HOME");
        pb.environment().put("PATH", old.resolve("bin") + ":/usr/bin:/bin");
        pb.environment().put("RAILYARD_JVM_DIR", jvmDir.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertEquals(jvmDir.resolve("real-jdk").toString(), out.strip(), "skips the old JDK on the PATH");
    }
}
