/// An app string (`name[:version][,label=value…]`) that cannot be read.
public enum AppStringError: Error, Sendable, CustomStringConvertible {
    /// A colon after the labels began.
    case colonAfterLabels(String)
    /// More than one colon.
    case severalColons(String)

    public var description: String {
        switch self {
        case .colonAfterLabels(let text):
            "malformed app string \(quoted(text)) - colon may appear only right after the app name"
        case .severalColons(let text):
            "malformed app string \(quoted(text)) - colon may appear at most once"
        }
    }
}
