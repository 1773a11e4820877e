package io.railyard.cli;

/** Entry point of the railyard command. */
public final class Main {
    public static void main(String[] args) {
        System.out.println("railyard");
    }
}
