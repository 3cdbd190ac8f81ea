import Shared
import Testing

@Suite("archive: member names")
struct ArchivePathTests {
    @Test("names are cleaned as Go's path.Clean does", arguments: [
        ("a/b/c", "a/b/c"), ("./x/", "x"), ("a//b", "a/b"), ("a/../b", "b"), ("a/./b/.", "a/b"),
        ("", "."), (".", "."), ("..", ".."), ("../x", "../x"), ("a/../../x", "../x"),
        ("/../x", "/x"), ("/", "/"), ("//a//", "/a"),
    ])
    func clean(_ name: String, _ cleaned: String) {
        #expect(ArchivePath.clean(name) == cleaned)
    }

    @Test("a `..` component is found wherever it is written; dots inside names are not one", arguments: [
        ("..", true), ("../etc/passwd", true), ("a/../../etc", true), ("a/..", true), ("/..", true),
        ("a/..b", false), ("...", false), ("a/b..", false), (".../x", false), ("a/./b", false),
    ])
    func parentReference(_ name: String, _ escapes: Bool) {
        #expect(ArchivePath.hasParentReference(name) == escapes)
    }

    @Test("the ancestors of a clean relative name, nearest last")
    func ancestors() {
        #expect(ArchivePath.ancestors(of: "a/b/c") == ["a", "a/b"])
        #expect(ArchivePath.ancestors(of: "a").isEmpty)
    }
}
