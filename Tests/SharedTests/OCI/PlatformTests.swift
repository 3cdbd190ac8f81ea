import Shared
import TestSupport
import Testing

@Suite("OCI platforms")
struct PlatformTests {
    static let amd64 = Platform(os: "linux", architecture: "amd64")

    @Test("an image platform matches a wanted one with the same os and architecture; a wanted variant must be equal")
    func matching() {
        let armV7 = Platform(os: "linux", architecture: "arm", variant: "v7")
        let armV6 = Platform(os: "linux", architecture: "arm", variant: "v6")
        let armAny = Platform(os: "linux", architecture: "arm")
        #expect(Self.amd64.matches(Self.amd64))
        #expect(armV7.matches(armAny), "no variant wanted: any variant matches")
        #expect(armV7.matches(armV7))
        #expect(!armV7.matches(armV6))
        #expect(!armAny.matches(armV7), "a variant is wanted but the image has none")
        #expect(!Self.amd64.matches(Platform(os: "windows", architecture: "amd64")))
        #expect(!Self.amd64.matches(Platform(os: "linux", architecture: "arm64")))
    }

    @Test("the description is os/arch[/variant]")
    func description() {
        #expect(Self.amd64.description == "linux/amd64")
        #expect(Platform(os: "linux", architecture: "arm64", variant: "v8").description == "linux/arm64/v8")
    }

    @Test("the host platform is linux with an OCI architecture name")
    func host() {
        let host = Platform.host
        #expect(host.os == "linux")
        #expect(!host.architecture.isEmpty && host.architecture != "x86_64" && host.architecture != "aarch64")
    }

    @Test("a platform decodes os.version and os.features, and encodes back")
    func json() throws {
        let text = #"{"architecture":"amd64","os":"windows","os.version":"10.0.17763.1040","os.features":["win32k"],"variant":"v3"}"#
        let platform = try decoded(Platform.self, text)
        #expect(platform.osVersion == "10.0.17763.1040" && platform.osFeatures == ["win32k"] && platform.variant == "v3")
        #expect(compactText(platform) == text)
    }

    @Test("os and architecture are required and must not be empty", arguments: [
        (#"{"os":"linux"}"#, "architecture: architecture is required"),
        (#"{"architecture":"","os":"linux"}"#, "architecture: architecture is required"),
        (#"{"architecture":"amd64"}"#, "os: os is required"),
        (#"{"architecture":"amd64","os":""}"#, "os: os is required"),
        (#"{"architecture":"amd64","os":"linux","os.features":"x"}"#, "os.features"),
    ])
    func required(_ text: String, _ expected: String) {
        let error = decodingError(Platform.self, text)
        #expect(error?.hasPrefix(expected) == true, "\(error ?? "accepted")")
    }
}
