/// A JSON document that is well-formed but does not fit the expected shape or rules: where
/// (a path such as `app.isolators[0].value`) and what is wrong.
///
/// Decoders throw it with a path relative to the value they decode; `JSONObjectReader` prefixes
/// the member's key as the error travels up, so the final path starts at the document root.
public struct JSONDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One step of a path: an object key or an array index.
    public enum Component: Sendable, Equatable {
        case key(String)
        case index(Int)
    }

    public var path: [Component]
    public var message: String

    public init(_ message: String, path: [Component] = []) {
        self.message = message
        self.path = path
    }

    /// The same error seen from one level up.
    public func prefixed(_ component: Component) -> JSONDecodingError {
        JSONDecodingError(message, path: [component] + path)
    }

    /// `labels[1].value: message`, or just the message at the root.
    public var description: String {
        path.isEmpty ? message : "\(pathDescription): \(message)"
    }

    /// The path alone, such as `app.environment[2].name`.
    public var pathDescription: String {
        var text = ""
        for component in path {
            switch component {
            case .key(let key): text += text.isEmpty ? key : ".\(key)"
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }

    /// Runs `body`, prefixing any decoding error it throws with `component`.
    public static func at<T>(_ component: Component, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as JSONDecodingError {
            throw error.prefixed(component)
        }
    }
}
