import Glibc

/// Output for command-line tools: results on standard output, diagnostics on standard error.
public enum Console {
    /// Writes a line (or `terminator`-ended text) to standard output.
    public static func out(_ text: String, terminator: String = "\n") {
        write(STDOUT_FILENO, text + terminator)
    }

    /// Writes raw bytes to standard output.
    public static func out(bytes: [UInt8]) {
        try? FileIO.writeAll(STDOUT_FILENO, bytes, path: "standard output")
    }

    /// Writes a line to standard error.
    public static func error(_ text: String) {
        write(STDERR_FILENO, text + "\n")
    }

    /// Writes a question to standard output without a newline.
    public static func prompt(_ text: String) {
        write(STDOUT_FILENO, text)
    }

    /// Whether the descriptor is a terminal.
    public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    private static func write(_ fd: Int32, _ text: String) {
        try? FileIO.writeAll(fd, text, path: fd == 1 ? "standard output" : "standard error")
    }
}
