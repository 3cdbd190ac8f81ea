import Logging

/// A swift-log handler for command-line tools: `prefix: message` lines (or the bare message) on
/// standard error, for messages at or above the chosen level.
public struct StderrLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let prefix: String?

    public init(prefix: String?, level: Logger.Level) {
        self.prefix = prefix
        logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        Console.error(prefix.map { "\($0): \(event.message)" } ?? "\(event.message)")
    }

    /// Installs the handler for the whole process; `debug` shows debug messages too.
    public static func bootstrap(prefix: String?, debug: Bool) {
        LoggingSystem.bootstrap { _ in StderrLogHandler(prefix: prefix, level: debug ? .debug : .info) }
    }
}
