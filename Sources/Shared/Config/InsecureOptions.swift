/// What `--insecure-options` relaxes, exactly as named: `image` (no signature check), `tls` (any
/// certificate), `http` (plain-http discovery and registries), `pubkey` (keys over insecure
/// channels), `ondisk` (accepted, does nothing), `capabilities`, `paths`, `seccomp`, and the groups
/// `all-fetch`, `all-run`, `all`.
public struct InsecureOptions: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let image = InsecureOptions(rawValue: 1 << 0)
    public static let tls = InsecureOptions(rawValue: 1 << 1)
    public static let ondisk = InsecureOptions(rawValue: 1 << 2)
    public static let http = InsecureOptions(rawValue: 1 << 3)
    public static let pubkey = InsecureOptions(rawValue: 1 << 4)
    public static let capabilities = InsecureOptions(rawValue: 1 << 5)
    public static let paths = InsecureOptions(rawValue: 1 << 6)
    public static let seccomp = InsecureOptions(rawValue: 1 << 7)
    public static let allFetch: InsecureOptions = [.image, .tls, .http, .pubkey]
    public static let allRun: InsecureOptions = [.capabilities, .paths, .seccomp]
    public static let all: InsecureOptions = [.allFetch, .allRun]

    /// Parses a comma-separated list.
    public init(parsing text: String) throws {
        var options: InsecureOptions = []
        for item in text.split(separator: ",", omittingEmptySubsequences: true) {
            switch item.trimmingCharacters() {
            case "none": break
            case "image": options.insert(.image)
            case "tls": options.insert(.tls)
            case "ondisk": options.insert(.ondisk)
            case "http": options.insert(.http)
            case "pubkey": options.insert(.pubkey)
            case "capabilities": options.insert(.capabilities)
            case "paths": options.insert(.paths)
            case "seccomp": options.insert(.seccomp)
            case "all-fetch": options.formUnion(.allFetch)
            case "all-run": options.formUnion(.allRun)
            case "all": options.formUnion(.all)
            default:
                throw OptionError.insecureOption(String(item))
            }
        }
        self = options
    }
}

extension Substring {
    func trimmingCharacters() -> String { String(self).trimmingSpaces() }
}
