import Stage1Kit
import TestSupport
import Testing

@Suite("stage1: an app's cgroup limits from its isolators")
struct AppLimitsTests {
    static func app(_ isolators: String) throws -> App? {
        let manifest = #"{"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/app","app":{"user":"0","group":"0","isolators":[\#(isolators)]}}"#
        return try ImageManifest.decode(Array(manifest.utf8)).app
    }

    @Test("memory, CPU quota and shares are read from the isolators; none without them")
    func limits() throws {
        let limits = try AppLimits(try Self.app("""
            {"name":"resource/memory","value":{"limit":"64Mi"}},{"name":"resource/cpu","value":{"limit":"250m"}},
            {"name":"os/linux/cpu-shares","value":2048}
            """))
        #expect(limits.memory == 64 << 20)
        #expect(limits.cpuMillis == 250)
        #expect(limits.cpuShares == 2048)
        let none = try AppLimits(nil)
        #expect(none.memory == nil && none.cpuMillis == nil && none.cpuShares == nil)
    }

    @Test("a CPU quota below 10m is refused")
    func cpuTooSmall() throws {
        let app = try Self.app(#"{"name":"resource/cpu","value":{"limit":"5m"}}"#)
        let error = #expect(throws: (any Error).self) { try AppLimits(app) }
        #expect(described(error) == "resource/cpu limit 5m is below 10m, the smallest CFS quota (1 ms per 100 ms)")
    }
}
