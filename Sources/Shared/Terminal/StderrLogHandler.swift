import Logging

/// A swift-log handler for command-line tools: `label: message` lines on standard error (the bare
/// message for an empty label), for messages at or above the chosen level.
public struct StderrLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let prefix: String?

    public init(prefix: String?, level: Logger.Level) {
        self.prefix = prefix.flatMap { $0.isEmpty ? nil : $0 }
        logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        Console.error(prefix.map { "\($0): \(event.message)" } ?? "\(event.message)")
    }

    /// Installs the handler for the whole process, prefixing each logger's label; `debug` shows
    /// debug messages too.
    public static func bootstrap(debug: Bool) {
        LoggingSystem.bootstrap { label in StderrLogHandler(prefix: label, level: debug ? .debug : .info) }
    }
}
