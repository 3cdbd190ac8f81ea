import Shared
import TestSupport
import Testing

@Suite("conversion: container image references to appc names")
struct ImageReferenceTests {
    @Test("a reference splits into name and tag; a registry port stays in the name", arguments: [
        ("docker.io/library/busybox:latest", "docker.io/library/busybox", "latest"),
        ("localhost:5000/app", "localhost:5000/app", nil),
        ("example.com/app:1.0", "example.com/app", "1.0"),
        ("latest", nil, "latest"),
        ("1.2.3", nil, "1.2.3"),
        ("example.com", "example.com", nil),
    ] as [(String, String?, String?)])
    func split(_ text: String, _ name: String?, _ tag: String?) {
        let reference = ImageReference(text)
        #expect(reference.name == name)
        #expect(reference.tag == tag)
    }

    @Test("appc names are lower case with other characters replaced and the ends trimmed", arguments: [
        ("Docker.io/Library/BusyBox", "docker.io/library/busybox"),
        ("localhost:5000/my_app", "localhost-5000/my_app"),
        ("--x--", "x"),
    ])
    func appcNames(_ text: String, _ name: String) throws {
        #expect(try ImageReference.appcName(text).value == name)
    }

    @Test("a name with nothing usable is refused")
    func unusable() {
        #expect(throws: (any Error).self) { try ImageReference.appcName("::") }
    }
}
