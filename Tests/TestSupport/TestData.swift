import Foundation

/// The repository's `testdata/` directory.
package enum TestData {
    package static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // TestSupport
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // the package
        .appendingPathComponent("testdata")

    /// A path below `testdata/`.
    package static func path(_ name: String) -> String { root.appendingPathComponent(name).path }
}
