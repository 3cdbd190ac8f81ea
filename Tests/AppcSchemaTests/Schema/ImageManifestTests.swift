import AppcSchema
import TestSupport
import Testing

@Suite("Image manifests")
struct ImageManifestTests {
    @Test("kind, version and name are all a manifest needs")
    func minimal() throws {
        let manifest = try decoded(ImageManifest.self, Fixture.image())
        #expect(manifest.name.value == "example.com/app")
        #expect(manifest.acVersion == SemVer(major: 0, minor: 8, patch: 11))
        #expect(manifest.labels.isEmpty && manifest.app == nil && manifest.annotations.isEmpty)
        #expect(manifest.dependencies.isEmpty && manifest.pathWhitelist.isEmpty)
    }

    @Test("the kind must be ImageManifest", arguments: [
        (#"{"acVersion":"0.8.11","name":"a"}"#, #"acKind: missing or bad ACKind (must be "ImageManifest")"#),
        (#"{"acKind":"PodManifest","acVersion":"0.8.11","name":"a"}"#, #"acKind: missing or bad ACKind (must be "ImageManifest")"#),
        (#"{"acKind":"Foo","acVersion":"0.8.11","name":"a"}"#, "acKind: bad ACKind: Foo"),
        (#"{"acKind":"","acVersion":"0.8.11","name":"a"}"#, "acKind: ACKind must be set"),
        (#"{"acKind":1,"acVersion":"0.8.11","name":"a"}"#, "acKind: expected a string, got a number"),
    ])
    func kind(json: String, message: String) {
        #expect(decodingError(ImageManifest.self, json) == message)
    }

    @Test("acVersion is required, non-zero and well formed", arguments: [
        (#"{"acKind":"ImageManifest","name":"a"}"#, "acVersion: acVersion must be set"),
        (#"{"acKind":"ImageManifest","acVersion":"0.0.0","name":"a"}"#, "acVersion: SemVer cannot be zero"),
        (#"{"acKind":"ImageManifest","acVersion":"bad","name":"a"}"#, #"acVersion: SemVer is bad (got "bad")"#),
        (#"{"acKind":"ImageManifest","acVersion":"1.2.3.4","name":"a"}"#, #"acVersion: SemVer is bad (got "1.2.3.4")"#),
    ])
    func version(json: String, message: String) {
        #expect(decodingError(ImageManifest.self, json) == message)
    }

    @Test("newer and unusual spellings of acVersion are accepted", arguments: ["1.0.0", "01.02.03", "0.8.11-", "0.0.0-a", "99.0.0+x"])
    func versionSpellings(version: String) {
        #expect(decodingError(ImageManifest.self, #"{"acKind":"ImageManifest","acVersion":"\#(version)","name":"a"}"#) == nil)
    }

    @Test("name is required and is an AC Identifier")
    func name() {
        #expect(decodingError(ImageManifest.self, #"{"acKind":"ImageManifest","acVersion":"0.8.11"}"#) == "name: name must be set")
        #expect(decodingError(ImageManifest.self, #"{"acKind":"ImageManifest","acVersion":"0.8.11","name":""}"#)
            == "name: ACIdentifier cannot be empty")
        #expect(decodingError(ImageManifest.self, #"{"acKind":"ImageManifest","acVersion":"0.8.11","name":"Example.com/app"}"#)
            == #"name: ACIdentifier must contain only lower case alphanumeric characters plus "-._~/" (got "Example.com/app")"#)
        #expect(decodingError(ImageManifest.self, #"{"acKind":"ImageManifest","acVersion":"0.8.11","name":"a..b//c"}"#) == nil)
    }

    @Test("the path whitelist is a list of strings, not validated")
    func pathWhitelist() throws {
        #expect(try decoded(ImageManifest.self, Fixture.image(#""pathWhitelist":["relative/ok","/abs",""]"#)).pathWhitelist
            == ["relative/ok", "/abs", ""])
        #expect(decodingError(ImageManifest.self, Fixture.image(#""pathWhitelist":[1]"#)) == "pathWhitelist[0]: expected a string, got a number")
    }

    @Test("keys differing only in case are accepted")
    func caseInsensitiveKeys() throws {
        let manifest = try decoded(ImageManifest.self,
            #"{"ACKIND":"ImageManifest","AcVersion":"0.8.11","NAME":"a","Labels":[{"NAME":"os","VALUE":"linux"}],"APP":{"User":"0","GROUP":"0"}}"#)
        #expect(manifest.name.value == "a")
        #expect(manifest.labels["os"] == "linux")
        #expect(manifest.app?.user == "0")
    }

    @Test("the last of duplicate members wins")
    func lastDuplicateWins() throws {
        let manifest = try decoded(ImageManifest.self,
            #"{"acKind":"ImageManifest","acVersion":"0.8.11","name":"first","Name":"second","labels":[{"name":"a","value":"1"}],"labels":[]}"#)
        #expect(manifest.name.value == "second")
        #expect(manifest.labels.isEmpty)
    }

    @Test("unknown members are ignored")
    func unknownMembers() throws {
        let manifest = try decoded(ImageManifest.self, Fixture.image(#""comment":"hi","extra":{"nested":[1,{"x":null}]}"#))
        #expect(compactText(manifest) == #"{"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/app"}"#)
    }

    @Test("null members are treated as absent")
    func nullMembers() throws {
        let manifest = try decoded(ImageManifest.self,
            Fixture.image(#""labels":null,"app":null,"annotations":null,"dependencies":null,"pathWhitelist":null"#))
        #expect(manifest.labels.isEmpty && manifest.app == nil && manifest.annotations.isEmpty)
        #expect(manifest.dependencies.isEmpty && manifest.pathWhitelist.isEmpty)
    }

    @Test("a document that is not an object is refused")
    func notAnObject() {
        #expect(decodingError(ImageManifest.self, "[]") == "expected an object, got an array")
        #expect(decodingError(ImageManifest.self, #""ImageManifest""#) == "expected an object, got a string")
    }

    @Test("malformed JSON is reported with its position")
    func malformed() {
        #expect(decodingError(ImageManifest.self, "{\"acKind\":\"ImageManifest\",}")
            == "malformed JSON: line 1, column 27: invalid character '}' looking for beginning of object key string")
    }

    @Test("building a manifest in code uses the suite's spec version")
    func building() throws {
        let manifest = ImageManifest(name: try ACIdentifier("example.com/built"))
        #expect(compactText(manifest) == #"{"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/built"}"#)
    }

    // MARK: Go duplicate and null semantics

    @Test("an invalid earlier duplicate still fails, as Go decodes every duplicate")
    func invalidEarlierDuplicate() {
        // Reference: error unmarshaling manifest: SemVer is bad.
        #expect(decodingError(ImageManifest.self, #"{"acKind":"ImageManifest","acVersion":"bad","acVersion":"0.8.11","name":"a"}"#) != nil)
        // Reference: bad os "plan9" (must be one of: [darwin freebsd linux]).
        #expect(decodingError(ImageManifest.self, Fixture.image(#""labels":[{"name":"os","value":"plan9"}],"labels":null"#)) != nil)
    }

    @Test("a null path-whitelist entry is the empty string, as Go decodes it")
    func nullWhitelistEntry() {
        // Reference: {"pathWhitelist":[null,"rel"]} validates.
        #expect(decodingError(ImageManifest.self, Fixture.image(#""pathWhitelist":[null,"rel"]"#)) == nil)
    }
}
