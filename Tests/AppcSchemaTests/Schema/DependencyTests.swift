import AppcSchema
import TestSupport
import Testing

@Suite("Dependencies")
struct DependencyTests {
    private func dependencyError(_ object: String) -> String? {
        decodingError(ImageManifest.self, Fixture.image(#""dependencies":[\#(object)]"#))
    }

    @Test("a dependency needs only an image name")
    func minimal() throws {
        let dependency = try decoded(Dependency.self, #"{"imageName":"example.com/base"}"#)
        #expect(dependency.imageName.value == "example.com/base")
        #expect(dependency.imageID == nil && dependency.labels.isEmpty && dependency.size == 0)
    }

    @Test("all fields decode")
    func allFields() throws {
        let dependency = try decoded(Dependency.self,
            #"{"imageName":"b","imageID":"sha512-aa","labels":[{"name":"version","value":"1"}],"size":42}"#)
        #expect(dependency.imageID?.description == "sha512-aa")
        #expect(dependency.labels["version"] == "1")
        #expect(dependency.size == 42)
    }

    @Test("a missing image name is refused")
    func missingName() {
        #expect(dependencyError(#"{"imageID":"sha512-aa"}"#) == "dependencies[0].imageName: imageName cannot be empty")
    }

    @Test("an empty image name is refused as an empty identifier")
    func emptyName() {
        #expect(dependencyError(#"{"imageName":""}"#) == "dependencies[0].imageName: ACIdentifier cannot be empty")
    }

    @Test("the image ID is a hash")
    func imageID() {
        #expect(dependencyError(#"{"imageName":"a","imageID":"sha256-aa"}"#) == "dependencies[0].imageID: unrecognized hash type: sha256")
    }

    @Test("the size is an unsigned integer")
    func size() {
        #expect(dependencyError(#"{"imageName":"a","size":-1}"#) == "dependencies[0].size: expected a non-negative integer, got -1")
    }

    @Test("labels follow the label rules")
    func labels() {
        #expect(dependencyError(#"{"imageName":"a","labels":[{"name":"os","value":"plan9"}]}"#)
            == #"dependencies[0].labels: bad os "plan9" (must be one of: [darwin freebsd linux])"#)
    }

    @Test("empty fields are omitted from the encoding")
    func encoding() throws {
        #expect(compactText(try decoded(Dependency.self, #"{"imageName":"a","size":0,"labels":[]}"#)) == #"{"imageName":"a"}"#)
        #expect(compactText(try decoded(Dependency.self, #"{"size":7,"imageID":"sha512-x","imageName":"a"}"#))
            == #"{"imageName":"a","imageID":"sha512-x","size":7}"#)
    }
}
