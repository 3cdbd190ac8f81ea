import AppcSchema
import TestSupport
import Testing

@Suite("Image labels")
struct LabelsTests {
    private func labels(_ list: String) throws -> Labels {
        try decoded(Labels.self, "[\(list)]")
    }

    private func labelsError(_ list: String) -> String? {
        decodingError(ImageManifest.self, Fixture.image(#""labels":[\#(list)]"#))
    }

    @Test("labels keep their document order and are looked up by name")
    func orderAndLookup() throws {
        let list = try labels(#"{"name":"version","value":"1.0"},{"name":"os","value":"linux"},{"name":"arch","value":"amd64"}"#)
        #expect(list.entries.map(\.name.value) == ["version", "os", "arch"])
        #expect(list["os"] == "linux")
        #expect(list["missing"] == nil)
        #expect(compactText(list) == #"[{"name":"version","value":"1.0"},{"name":"os","value":"linux"},{"name":"arch","value":"amd64"}]"#)
    }

    @Test("a duplicate name is refused at the second label")
    func duplicate() {
        #expect(labelsError(#"{"name":"os","value":"linux"},{"name":"os","value":"linux"}"#)
            == #"labels[1]: duplicate labels of name "os""#)
    }

    @Test("a label called name is refused")
    func labelCalledName() {
        #expect(labelsError(#"{"name":"name","value":"x"}"#) == #"labels[0].name: invalid label name: "name""#)
    }

    @Test("label names are AC Identifiers")
    func nameIsIdentifier() {
        #expect(labelsError(#"{"name":"Version","value":"x"}"#)
            == #"labels[0].name: ACIdentifier must contain only lower case alphanumeric characters plus "-._~/" (got "Version")"#)
        #expect(labelsError(#"{"name":"a..b","value":"x"}"#) == nil)
    }

    @Test("a missing name or value is the empty string, unchecked, as in Go")
    func missingFields() throws {
        let list = try labels(#"{"value":"x"},{"name":"version"}"#)
        #expect(list.entries.map(\.name.value) == ["", "version"])
        #expect(list["version"] == "")
    }

    @Test("a label value must be a string")
    func valueMustBeString() {
        #expect(labelsError(#"{"name":"version","value":1}"#) == "labels[0].value: expected a string, got a number")
    }

    @Test("every os/arch pair of the reference table is valid", arguments: OSArch.valid.flatMap { entry in
        entry.arches.map { [entry.os, $0] }
    })
    func validPairs(pair: [String]) {
        #expect(labelsError(#"{"name":"os","value":"\#(pair[0])"},{"name":"arch","value":"\#(pair[1])"}"#) == nil)
    }

    @Test("the reference table is linux, freebsd and darwin with their architectures")
    func table() {
        #expect(OSArch.valid.map(\.os) == ["darwin", "freebsd", "linux"])
        #expect(OSArch.valid.map(\.arches.count) == [2, 3, 10])
    }

    @Test("an unknown os is refused with the list of valid ones")
    func badOS() {
        #expect(labelsError(#"{"name":"os","value":"windows"}"#) == #"labels: bad os "windows" (must be one of: [darwin freebsd linux])"#)
    }

    @Test("an arch not valid for the os is refused with that os's list", arguments: [
        ("linux", "arm64", "amd64 i386 aarch64 aarch64_be armv6l armv7l armv7b ppc64 ppc64le s390x"),
        ("darwin", "amd64", "x86_64 i386"),
        ("freebsd", "aarch64", "amd64 i386 arm"),
        ("linux", "x86_64", "amd64 i386 aarch64 aarch64_be armv6l armv7l armv7b ppc64 ppc64le s390x"),
    ])
    func badArch(os: String, arch: String, list: String) {
        #expect(labelsError(#"{"name":"arch","value":"\#(arch)"},{"name":"os","value":"\#(os)"}"#)
            == #"labels: bad arch "\#(arch)" for \#(os) (must be one of: [\#(list)])"#)
    }

    @Test("an arch without an os is not checked")
    func archWithoutOS() {
        #expect(labelsError(#"{"name":"arch","value":"sparc"}"#) == nil)
    }

    @Test("an os without an arch is enough")
    func osWithoutArch() {
        #expect(labelsError(#"{"name":"os","value":"freebsd"}"#) == nil)
    }

    @Test("building labels in code applies the same rules")
    func building() throws {
        let os = try ACIdentifier("os")
        #expect(thrownError { try Labels([Label(name: os, value: "linux"), Label(name: os, value: "linux")]) }
            == #"[1]: duplicate labels of name "os""#)
        #expect(thrownError { try Labels([Label(name: try ACIdentifier("name"), value: "x")]) } == #"[0].name: invalid label name: "name""#)
    }

    @Test("setting a label replaces it in place or appends it, and re-checks the rules")
    func setting() throws {
        var list = try labels(#"{"name":"os","value":"linux"},{"name":"version","value":"1"}"#)
        try list.set(try ACIdentifier("os"), "freebsd")
        try list.set(try ACIdentifier("arch"), "arm")
        #expect(list.entries.map { "\($0.name)=\($0.value)" } == ["os=freebsd", "version=1", "arch=arm"])
        #expect(thrownError { try list.set(try ACIdentifier("arch"), "s390x") }
            == #"bad arch "s390x" for freebsd (must be one of: [amd64 i386 arm])"#)
        #expect(list["arch"] == "arm")
    }

    @Test("a null label name is refused, as Go's ACIdentifier decoder is called with null")
    func nullName() {
        // Reference: invalid ImageManifest: ACIdentifier cannot be empty.
        #expect(labelsError(#"{"name":null,"value":"x"}"#) == "labels[0].name: ACIdentifier cannot be empty")
    }

    @Test("a null label is the zero label, as Go decodes it")
    func nullLabel() {
        // Reference: {"labels":[null]} validates.
        #expect(labelsError("null") == nil)
    }
}
