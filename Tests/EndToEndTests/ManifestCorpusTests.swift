import Foundation
import TestSupport
import Testing

/// The manifest corpus in testdata/manifests: every file under valid/ must validate and every file
/// under invalid/ must not, for our actool and for the reference actool alike. Each file was checked
/// against the reference (Debian appc-spec 0.8.11) when it was written.
@Suite("Manifest corpus, our actool and the reference agree")
struct ManifestCorpusTests {
    /// One corpus file and whether it is meant to be valid.
    struct Case: CustomTestStringConvertible, Sendable {
        let path: String
        let valid: Bool

        var testDescription: String { (valid ? "valid/" : "invalid/") + URL(fileURLWithPath: path).lastPathComponent }

        /// The exit status `actool validate` must end with.
        var expectedStatus: Int32 { valid ? 0 : 1 }
    }

    static let referenceActool = "/usr/bin/actool"

    /// testdata/manifests, found from this file's location (Tests/EndToEndTests/ManifestCorpusTests.swift).
    static let corpusDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("testdata/manifests")

    static let cases: [Case] = ["valid", "invalid"].flatMap { kind -> [Case] in
        let directory = corpusDirectory.appendingPathComponent(kind)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().map {
            Case(path: directory.appendingPathComponent($0).path, valid: kind == "valid")
        }
    }

    @Test("the corpus has valid and invalid manifests")
    func corpusIsThere() {
        #expect(Self.cases.filter(\.valid).count >= 20, "valid manifests in \(Self.corpusDirectory.path)")
        #expect(Self.cases.filter { !$0.valid }.count >= 20, "invalid manifests in \(Self.corpusDirectory.path)")
    }

    @Test("our actool validate --type=manifest agrees with the corpus", arguments: ManifestCorpusTests.cases)
    func ours(manifest: Case) throws {
        let result = try Tool.actool.run(["validate", "--type=manifest", manifest.path])
        #expect(result.status == manifest.expectedStatus, "stderr: \(result.stderr)")
        if !manifest.valid && result.status == 1 {
            #expect(result.stderr.contains(manifest.path), "the error names the file: \(result.stderr)")
        }
    }

    @Test("the reference actool agrees with the corpus", .enabled(if: Tool.installed(ManifestCorpusTests.referenceActool),
          "the reference actool (/usr/bin/actool, Debian package appc-spec) is not installed"), arguments: ManifestCorpusTests.cases)
    func reference(manifest: Case) throws {
        let result = try Tool.execute(Self.referenceActool, ["validate", "--type=manifest", manifest.path])
        #expect(result.status == manifest.expectedStatus, "stderr: \(result.stderr)")
    }
}
