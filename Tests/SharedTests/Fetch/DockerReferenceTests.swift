import Shared
import TestSupport
import Testing

@Suite("fetch: docker references")
struct DockerReferenceTests {
    @Test("registry, repository and tag as Docker reads them", arguments: [
        ("busybox", "registry-1.docker.io/library/busybox:latest"),
        ("user/app:1.2", "registry-1.docker.io/user/app:1.2"),
        ("quay.io/coreos/etcd:v3", "quay.io/coreos/etcd:v3"),
        ("localhost/app", "localhost/app:latest"),
        ("127.0.0.1:5000/team/app:edge", "127.0.0.1:5000/team/app:edge"),
        ("//registry.local:5000/app", "registry.local:5000/app:latest"),
    ])
    func parsing(_ text: String, _ description: String) throws {
        #expect(try DockerReference(text).description == description)
    }

    @Test("a digest names the image instead of a tag")
    func digest() throws {
        let hex = String(repeating: "ab", count: 32)
        let reference = try DockerReference("example.com/app@sha256:\(hex)")
        #expect(reference.tag == nil)
        #expect(reference.reference == "sha256:\(hex)")
        #expect(reference.description == "example.com/app@sha256:\(hex)")
    }

    @Test("malformed references are refused with the syntax", arguments: [
        ("a//b", #"invalid docker URL "a//b"; expected syntax is "docker://[REGISTRY_HOST[:REGISTRY_PORT]/]IMAGE_NAME[:TAG]""#),
        ("Example/App", #"invalid docker image name "Example/App" (lower case, digits, . _ - /)"#),
        ("app:", #"invalid docker tag """#),
    ])
    func refused(_ text: String, _ message: String) {
        let error = #expect(throws: (any Error).self) { try DockerReference(text) }
        #expect(described(error) == message)
    }
}
