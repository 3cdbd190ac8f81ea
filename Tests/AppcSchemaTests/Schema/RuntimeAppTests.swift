import AppcSchema
import TestSupport
import Testing

@Suite("Pod apps")
struct RuntimeAppTests {
    private func appError(_ object: String) -> String? {
        decodingError(PodManifest.self, Fixture.pod(#""apps":[\#(object)]"#))
    }

    @Test("an app names its image by ID, optionally with the name and labels it was asked by")
    func image() throws {
        let app = try decoded(RuntimeApp.self,
            #"{"name":"web","image":{"name":"example.com/web","id":"sha512-aa","labels":[{"name":"version","value":"1"}]}}"#)
        #expect(app.name.value == "web")
        #expect(app.image.name?.value == "example.com/web")
        #expect(app.image.id?.description == "sha512-aa")
        #expect(app.image.labels["version"] == "1")
        #expect(app.app == nil && !app.readOnlyRootFS && app.mounts.isEmpty && app.annotations.isEmpty)
    }

    @Test("a missing image ID is accepted when reading, as in the reference")
    func missingImageID() throws {
        #expect(appError(#"{"name":"a","image":{}}"#) == nil)
        #expect(appError(#"{"name":"a"}"#) == nil)
    }

    @Test("image fields are checked")
    func imageFields() {
        #expect(appError(#"{"name":"a","image":{"id":"md5-aa"}}"#) == "apps[0].image.id: unrecognized hash type: md5")
        #expect(appError(#"{"name":"a","image":{"id":"sha512-aa","name":"Web"}}"#)
            == #"apps[0].image.name: ACIdentifier must contain only lower case alphanumeric characters plus "-._~/" (got "Web")"#)
    }

    @Test("the app name is an AC Name")
    func name() {
        #expect(appError(#"{"name":"a.b","image":{"id":"sha512-aa"}}"#)
            == #"apps[0].name: ACName must contain only lower case alphanumeric characters plus "-" (got "a.b")"#)
    }

    @Test("an app override follows the app rules")
    func appOverride() {
        #expect(appError(#"{"name":"a","image":{"id":"sha512-aa"},"app":{"user":"0"}}"#) == "apps[0].app.group: group is required")
    }

    @Test("mounts are not checked when reading; inline app volumes are")
    func mounts() throws {
        let app = try decoded(RuntimeApp.self, #"{"name":"a","image":{"id":"sha512-aa"},"mounts":[{},{"volume":"v","path":"/p","appVolume":{"name":"v","kind":"empty"}}]}"#)
        #expect(app.mounts.map(\.volume.value) == ["", "v"])
        #expect(app.mounts[1].appVolume?.mode == "0755")
        #expect(appError(#"{"name":"a","image":{"id":"sha512-aa"},"mounts":[{"volume":"v","path":"/p","appVolume":{"name":"v","kind":"nfs"}}]}"#)
            == #"apps[0].mounts[0].appVolume.kind: unrecognized volume kind: should be one of "empty", "host" (got "nfs")"#)
    }

    @Test("app annotations follow the annotation rules")
    func annotations() {
        #expect(appError(#"{"name":"a","image":{"id":"sha512-aa"},"annotations":[{"name":"x","value":""},{"name":"x","value":""}]}"#)
            == #"apps[0].annotations[1]: duplicate annotations of name "x""#)
    }

    @Test("optional fields are omitted from the encoding when empty or false")
    func encoding() throws {
        let app = try decoded(RuntimeApp.self, #"{"name":"a","image":{"id":"sha512-aa"},"readOnlyRootFS":false,"mounts":[],"annotations":[]}"#)
        #expect(compactText(app) == #"{"name":"a","image":{"id":"sha512-aa"}}"#)
    }

    // MARK: Go null semantics

    @Test("a null app name is refused, as Go's ACName decoder is called with null")
    func nullName() {
        // Reference: invalid PodManifest: ACName cannot be empty.
        #expect(appError(#"{"name":null,"image":{"id":"sha512-aa"}}"#) == "apps[0].name: ACName cannot be empty")
    }

    @Test("a null image ID is refused, as Go's hash decoder is called with null")
    func nullImageID() {
        // Reference: invalid PodManifest: badly formatted hash string.
        #expect(appError(#"{"name":"a","image":{"id":null}}"#) == #"apps[0].image.id: badly formatted hash string (got "")"#)
    }
}
