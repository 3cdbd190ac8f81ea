import Glibc
import Stage1Kit
import TestSupport
import Testing

@Suite("stage1: an app's seccomp filter from its isolators")
struct SeccompPolicyTests {
    /// The isolators of an app whose manifest lists `isolators` (JSON objects).
    static func isolators(_ isolators: String) throws -> [Isolator] {
        let manifest = #"{"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/app","app":{"user":"0","group":"0","isolators":[\#(isolators)]}}"#
        return try ImageManifest.decode(Array(manifest.utf8)).app?.isolators ?? []
    }

    @Test("without a seccomp isolator the app gets the default filter; @appc.io/all retains everything")
    func defaults() throws {
        let standard = try SeccompPolicy.program(for: [])
        #expect(!standard.isEmpty && standard.count % 8 == 0)
        let all = try SeccompPolicy.program(for: try Self.isolators(#"{"name":"os/linux/seccomp-retain-set","value":{"set":["@appc.io/all"]}}"#))
        #expect(all == (try SeccompFilter.compile(default: .allow, rules: [])))
    }

    @Test("an unknown wildcard or system call is refused rather than left allowed", arguments: [
        ("@rkt/nothing", #"unknown seccomp wildcard "@rkt/nothing" (known: @appc.io/all, @appc.io/empty, @rkt/default-blacklist, @rkt/default-whitelist, @docker/default-blacklist, @docker/default-whitelist)"#),
        ("mkdri", #"unknown system call "mkdri" in the seccomp isolator"#),
    ])
    func typosRefused(_ name: String, _ message: String) throws {
        let isolators = try Self.isolators(#"{"name":"os/linux/seccomp-remove-set","value":{"set":["\#(name)"]}}"#)
        let error = #expect(throws: (any Error).self) { try SeccompPolicy.program(for: isolators) }
        #expect(described(error) == message)
    }
}
