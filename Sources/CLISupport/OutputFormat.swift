/// How a listing command prints: a tab-aligned table or JSON.
public enum OutputFormat: String, ExpressibleByArgument, Sendable {
    case table, json
}
