import Foundation
import Glibc

/// A download progress line on standard error (bytes, rate, time left), drawn only when standard
/// error is a terminal, at most ten times a second.
public final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let enabled: Bool
    private let start = WallClock.nanoseconds()
    private var lastDraw: Int64 = 0

    public init(label: String) {
        self.label = label
        enabled = Console.isTerminal(STDERR_FILENO)
    }

    public func update(_ done: Int64, of total: Int64?) {
        guard enabled else { return }
        let now = WallClock.nanoseconds()
        guard now - lastDraw > 100_000_000 else { return }
        lastDraw = now
        let seconds = max(Double(now - start) / 1e9, 0.001)
        let rate = Double(done) / seconds
        var line = "\(label): \(Self.size(done))"
        if let total, total > 0 {
            line += " / \(Self.size(total)) (\(done * 100 / total)%)"
            if rate > 0 { line += ", \(Int(Double(total - done) / rate))s left" }
        }
        line += ", \(Self.size(Int64(rate)))/s"
        write(STDERR_FILENO, "\r\u{1B}[K" + line, line.utf8.count + 4)
    }

    /// Clears the line.
    public func finish() {
        guard enabled, lastDraw > 0 else { return }
        write(STDERR_FILENO, "\r\u{1B}[K", 4)
    }

    /// `12.3 MiB`.
    public static func size(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }
}
