import Foundation
import TestSupport
import Testing

@Suite("actool cat-manifest")
struct ActoolCatManifestTests {
    /// Manifests as users write them, in testdata/actool/cat-manifest.
    static let manifests = [
        "minimal.json", "rich-app.json", "escapes-and-normalisation.json", "app-without-exec.json",
        "crlf-no-final-newline.json", "case-insensitive-duplicate-keys.json",
    ]

    /// A scratch directory with `image.aci`: the manifest file stored byte for byte (written by
    /// make_tar.py, as `actool build` would normalise it), and the same image uncompressed, in bzip2 and in xz.
    static func image(_ manifest: String) throws -> (Scratch, Data) {
        let scratch = try Scratch()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: TestData.path("actool/cat-manifest/\(manifest)")))
        try scratch.write("manifest.json", bytes)
        try scratch.makeTar("image.aci", "--gzip", "rootfs/", "rootfs/hello=hello", "manifest=@manifest.json")
        try scratch.makeTar("image.tar", "rootfs/", "manifest=@manifest.json")
        try scratch.makeTar("image.tar.bz2", "--bzip2", "manifest=@manifest.json", "rootfs/")
        try scratch.makeTar("image.tar.xz", "--xz", "rootfs/", "manifest=@manifest.json")
        return (scratch, bytes)
    }

    @Test("prints the manifest's bytes exactly as stored, then a newline", arguments: manifests)
    func raw(_ manifest: String) throws {
        let (scratch, bytes) = try Self.image(manifest)
        for file in ["image.aci", "image.tar", "image.tar.bz2", "image.tar.xz"] {
            let result = try scratch.actool("cat-manifest", file)
            #expect(result.status == 0, "\(file): \(result.stderr)")
            #expect(result.stdoutBytes == bytes + Data("\n".utf8), "\(file)")
            #expect(result.stderr.isEmpty)
        }
        let reference = try scratch.referenceActool("cat-manifest", "image.aci")
        #expect(try scratch.actool("cat-manifest", "image.aci").stdoutBytes == reference.stdoutBytes)
    }

    @Test("--pretty-print prints what the reference prints", arguments: manifests)
    func prettyPrint(_ manifest: String) throws {
        let (scratch, _) = try Self.image(manifest)
        let ours = try scratch.actool("cat-manifest", "--pretty-print", "image.aci")
        let reference = try scratch.referenceActool("cat-manifest", "--pretty-print", "image.aci")
        #expect(ours.status == 0, "\(ours.stderr)")
        #expect(reference.status == 0)
        #expect(ours.stdout == reference.stdout)
        // Indented with four spaces, ending in a newline.
        #expect(ours.stdout.hasPrefix("{\n    \"acKind\": \"ImageManifest\",\n"))
        #expect(ours.stdout.hasSuffix("}\n"))
    }

    @Test("--pretty-print of an image we built equals the reference's")
    func prettyPrintBuilt() throws {
        let scratch = try Scratch()
        try scratch.smallLayout(manifest: String(contentsOfFile: TestData.path("actool/cat-manifest/rich-app.json"), encoding: .utf8))
        try scratch.actool("build", "layout", "built.aci").check()
        let ours = try scratch.actool("cat-manifest", "--pretty-print", "built.aci")
        #expect(ours.status == 0)
        #expect(ours.stdout == (try scratch.referenceActool("cat-manifest", "--pretty-print", "built.aci").stdout))
        // What build stored is the compact form of the same manifest.
        let raw = try scratch.actool("cat-manifest", "built.aci")
        #expect(raw.stdout == (try scratch.referenceActool("cat-manifest", "built.aci").stdout))
        #expect(!raw.stdout.dropLast().contains("\n"))
    }

    @Test("- reads the image from standard input, in any compression")
    func standardInput() throws {
        let (scratch, bytes) = try Self.image("rich-app.json")
        for file in ["image.aci", "image.tar", "image.tar.bz2", "image.tar.xz"] {
            let result = try scratch.actool("cat-manifest", "-", stdin: try scratch.data(file))
            #expect(result.status == 0, "\(file): \(result.stderr)")
            #expect(result.stdoutBytes == bytes + Data("\n".utf8), "\(file)")
        }
        let pretty = try scratch.actool("cat-manifest", "--pretty-print", "-", stdin: try scratch.data("image.tar.xz"))
        #expect(pretty.stdout == (try scratch.referenceActool("cat-manifest", "--pretty-print", "image.aci").stdout))
    }

    @Test("an invalid manifest is reported and not printed")
    func invalidManifest() throws {
        let scratch = try Scratch()
        try scratch.write("manifest.json", #"{"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/x","app":{"exec":["/x"]}}"#)
        try scratch.makeTar("image.aci", "--gzip", "rootfs/", "manifest=@manifest.json")
        let result = try scratch.actool("cat-manifest", "image.aci")
        #expect(result.status == 1)
        #expect(result.stdoutBytes.isEmpty)
        #expect(result.stderr.hasPrefix("cat-manifest: Unable to read image.aci: "))
        #expect(result.stderr.contains("user is required"))
    }

    @Test("a missing file is reported")
    func missingFile() throws {
        let scratch = try Scratch()
        let result = try scratch.actool("cat-manifest", "missing.aci")
        #expect(result.status == 1)
        #expect(result.stderr.contains("missing.aci"))
        #expect(result.stderr.contains("No such file or directory"))
        #expect(result.stdout.isEmpty)
    }

    @Test("usage errors exit 2", arguments: [[String](), ["a.aci", "b.aci"], ["--bogus", "a.aci"]])
    func usage(_ arguments: [String]) throws {
        let scratch = try Scratch()
        let result = try Tool.actool.run(["cat-manifest"] + arguments, in: scratch.url)
        #expect(result.status == 2)
        #expect(result.stderr.contains("Usage"))
        #expect(result.stdout.isEmpty)
    }
}
