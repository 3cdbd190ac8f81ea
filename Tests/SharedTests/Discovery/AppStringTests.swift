import Shared
import Testing

@Suite("App strings (name:version,label=value)")
struct AppStringTests {
    private func labels(_ app: AppString) -> [String] {
        app.labels.map { "\($0.name)=\($0.value)" }
    }

    private func parseError(_ text: String) -> String? {
        do {
            _ = try AppString(parsing: text)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test("a bare name has no labels")
    func bareName() throws {
        let app = try AppString(parsing: "example.com/app")
        #expect(app.name.value == "example.com/app")
        #expect(app.labels.isEmpty)
        #expect(app.description == "example.com/app")
    }

    @Test("a colon after the name is the version label")
    func colonVersion() throws {
        let app = try AppString(parsing: "coreos.com/etcd:v2.0.0")
        #expect(app.name.value == "coreos.com/etcd")
        #expect(labels(app) == ["version=v2.0.0"])
        #expect(app["version"] == "v2.0.0")
    }

    @Test("labels follow the name in the order given")
    func labelsInOrder() throws {
        let app = try AppString(parsing: "example.com/app:1.2.3,os=linux,arch=amd64")
        #expect(labels(app) == ["version=1.2.3", "os=linux", "arch=amd64"])
        #expect(app.description == "example.com/app,version=1.2.3,os=linux,arch=amd64")
    }

    @Test("an explicit version label is the same as the colon form")
    func explicitVersion() throws {
        #expect(try AppString(parsing: "example.com/app,version=1.2.3") == AppString(parsing: "example.com/app:1.2.3"))
    }

    @Test("label values are taken as written, equals signs and spaces included")
    func labelValues() throws {
        #expect(labels(try AppString(parsing: "example.com/app,label=a=b")) == ["label=a=b"])
        #expect(labels(try AppString(parsing: "example.com/app,label=")) == ["label="])
        #expect(labels(try AppString(parsing: "example.com/app,label=v1+v2 x")) == ["label=v1+v2 x"])
        #expect(labels(try AppString(parsing: "example.com/app:")) == ["version="])
    }

    @Test("a colon after a comma is refused")
    func colonAfterComma() {
        #expect(parseError("example.com/app,os=linux:1")
            == #"malformed app string "example.com/app,os=linux:1" - colon may appear only right after the app name"#)
    }

    @Test("a second colon is refused")
    func twoColons() {
        #expect(parseError("a:b:c") == #"malformed app string "a:b:c" - colon may appear at most once"#)
    }

    @Test("a version given twice is refused with both values")
    func duplicateVersion() {
        #expect(parseError("example.com/app:1.2.3,version=3.2.1") == #"label version with multiple values ["1.2.3" "3.2.1"]"#)
        #expect(parseError("example.com/app,os=linux,os=darwin") == #"label os with multiple values ["linux" "darwin"]"#)
    }

    @Test("a label without a value is refused")
    func labelWithoutValue() {
        #expect(parseError("example.com/app,os") == #"malformed string "name=example.com/app,os" - has a label without a value: os"#)
    }

    @Test("an invalid name is refused", arguments: [
        ("Example.com/app", #"ACIdentifier must contain only lower case alphanumeric characters plus "-._~/" (got "Example.com/app")"#),
        ("", "ACIdentifier cannot be empty"),
        (":1.0", "ACIdentifier cannot be empty"),
        ("-app", #"ACIdentifier must start and end with only lower case alphanumeric characters (got "-app")"#),
    ])
    func invalidName(text: String, message: String) {
        #expect(parseError(text) == message)
    }

    @Test("label names must be AC Identifiers")
    func invalidLabelName() {
        #expect(parseError("example.com/app,OS=linux")
            == #"ACIdentifier must contain only lower case alphanumeric characters plus "-._~/" (got "OS")"#)
    }

    @Test("a default label is added only when the label was not given")
    func defaults() throws {
        var app = try AppString(parsing: "example.com/app,os=freebsd")
        app.setDefault("os", "linux")
        app.setDefault("arch", "amd64")
        #expect(labels(app) == ["os=freebsd", "arch=amd64"])
    }

    @Test("equal app strings hash equally")
    func hashing() throws {
        let a = try AppString(parsing: "example.com/app:1,os=linux")
        let b = try AppString(parsing: "example.com/app,version=1,os=linux")
        #expect(a == b)
        #expect(Set([a, b]).count == 1)
        #expect(try AppString(parsing: "example.com/app,os=linux,version=1") != a)
    }
}
