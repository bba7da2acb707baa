package io.eventlens.core.testkit;

import java.sql.Connection;
import java.sql.DriverManager;

/**
 * Run in a child JVM: opens the H2 database {@code args[0]} (without {@code .mv.db}), prints
 * {@code open}, and holds it until its standard input closes. Lets a test see a store locked by
 * another process.
 */
public final class HoldH2File {

    private HoldH2File() {
    }

    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + args[0], "sa", "")) {
            System.out.println("open");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the file until the parent closes our stdin
            }
        }
    }
}
