import Shared
import TestSupport
import Testing

@Suite("fetch: where an image argument points")
struct ImageLocationTests {
    @Test("each kind of argument is told apart as rkt does", arguments: [
        ("sha512-0123abcd", ImageLocation.imageID("sha512-0123abcd")),
        ("docker://busybox:latest", .docker("busybox:latest")),
        ("DOCKER:busybox", .docker("busybox")),
        ("oci:layout:tag", .oci("layout:tag")),
        ("file:///tmp/app.aci", .file("/tmp/app.aci")),
        ("https://example.com/app.aci?x=1", .url("https://example.com/app.aci?x=1")),
        ("/absolute/missing", .file("/absolute/missing")),
        ("./relative.aci", .file("./relative.aci")),
        ("example.com/app:1.0", .name("example.com/app:1.0")),
        ("example.com/app", .name("example.com/app")),
        ("s3://bucket/app", .name("s3://bucket/app")),
    ])
    func kinds(_ argument: String, _ location: ImageLocation) throws {
        #expect(try ImageLocation(argument) == location)
    }

    @Test("an http(s) URL must name an .aci file")
    func urlNeedsACI() {
        let error = #expect(throws: (any Error).self) { try ImageLocation("https://example.com/app.tar") }
        #expect(described(error) == #"invalid image string "https://example.com/app.tar": an http(s) URL must name an .aci file"#)
    }
}
