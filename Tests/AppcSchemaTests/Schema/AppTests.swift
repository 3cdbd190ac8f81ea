import AppcSchema
import TestSupport
import Testing

@Suite("App")
struct AppTests {
    private func appError(_ members: String) -> String? {
        decodingError(ImageManifest.self, Fixture.app(members))
    }

    private func app(_ members: String) throws -> App {
        try #require(try decoded(ImageManifest.self, Fixture.app(members)).app)
    }

    @Test("user and group are all an app needs")
    func minimal() throws {
        let app = try app("")
        #expect(app.exec == nil)
        #expect(app.user == "0" && app.group == "0")
        #expect(app.workingDirectory == "" && app.environment.isEmpty && app.isolators.isEmpty)
    }

    @Test("exec is not validated: missing, empty or relative are all accepted")
    func execUnchecked() throws {
        #expect(try app(#""exec":[]"#).exec == [])
        #expect(try app(#""exec":["run","--flag"]"#).exec == ["run", "--flag"])
        #expect(try app(#""exec":null"#).exec == nil)
        #expect(appError(#""exec":"/bin/sh""#) == "app.exec: expected an array, got a string")
    }

    @Test("user is required", arguments: [#""user":"""#, #""user":null"#])
    func userRequired(member: String) {
        let manifest = Fixture.image(#""app":{\#(member),"group":"0"}"#)
        #expect(decodingError(ImageManifest.self, manifest) == "app.user: user is required")
        #expect(decodingError(ImageManifest.self, Fixture.image(#""app":{"group":"0"}"#)) == "app.user: user is required")
    }

    @Test("group is required")
    func groupRequired() {
        #expect(decodingError(ImageManifest.self, Fixture.image(#""app":{"user":"0"}"#)) == "app.group: group is required")
        #expect(decodingError(ImageManifest.self, Fixture.image(#""app":{"user":"0","group":""}"#)) == "app.group: group is required")
    }

    @Test("user and group must be strings")
    func userGroupStrings() {
        #expect(decodingError(ImageManifest.self, Fixture.image(#""app":{"user":0,"group":"0"}"#)) == "app.user: expected a string, got a number")
    }

    @Test("a working directory must be absolute")
    func workingDirectory() throws {
        #expect(try app(#""workingDirectory":"/opt/app""#).workingDirectory == "/opt/app")
        #expect(appError(#""workingDirectory":"opt""#) == #"app.workingDirectory: workingDirectory must be an absolute path (got "opt")"#)
        #expect(appError(#""workingDirectory":"./opt""#) == #"app.workingDirectory: workingDirectory must be an absolute path (got "./opt")"#)
    }

    @Test("event handlers are pre-start and post-stop, each at most once")
    func eventHandlers() throws {
        let handlers = try app(#""eventHandlers":[{"name":"pre-start","exec":["/a"]},{"name":"post-stop"}]"#).eventHandlers
        #expect(handlers.map(\.name) == ["pre-start", "post-stop"])
        #expect(handlers[1].exec == nil)
        #expect(appError(#""eventHandlers":[{"name":"pre-start","exec":["/a"]},{"name":"pre-start"}]"#)
            == #"app.eventHandlers[1]: Only one eventHandler of name "pre-start" allowed"#)
    }

    @Test("an unknown event handler name is refused")
    func unknownEventHandler() {
        #expect(appError(#""eventHandlers":[{"name":"on-crash","exec":["/a"]}]"#)
            == #"app.eventHandlers[0].name: bad eventHandler "name": "on-crash" (must be one of: pre-start, post-stop)"#)
    }

    @Test("an event handler without a name is refused")
    func emptyEventHandlerName() {
        #expect(appError(#""eventHandlers":[{"exec":["/a"]}]"#) == #"app.eventHandlers[0].name: eventHandler "name" cannot be empty"#)
    }

    @Test("environment names are identifiers and unique")
    func environment() throws {
        let app = try app(#""environment":[{"name":"PATH","value":"/bin"},{"name":"_x.y-z","value":""},{"name":"a1"}]"#)
        #expect(app.environment.map(\.name) == ["PATH", "_x.y-z", "a1"])
        #expect(app.environmentValue("PATH") == "/bin")
        #expect(app.environmentValue("a1") == "")
        #expect(app.environmentValue("HOME") == nil)
        #expect(appError(#""environment":[{"name":"A","value":""},{"name":"A","value":"x"}]"#)
            == #"app.environment[1]: duplicate environment variable of name "A""#)
    }

    @Test("invalid environment names are refused", arguments: ["1A", "A B", "A=B", "-x", ".x", "é"])
    func badEnvironmentName(name: String) {
        #expect(appError(#""environment":[{"name":"\#(name)","value":""}]"#)
            == "app.environment[0]: environment variable does not have valid identifier \"\(name)\"")
    }

    @Test("an environment variable without a name is refused")
    func emptyEnvironmentName() {
        #expect(appError(#""environment":[{"name":"","value":"x"}]"#) == "app.environment[0]: environment variable name must not be empty")
        #expect(appError(#""environment":[{"value":"x"}]"#) == "app.environment[0]: environment variable name must not be empty")
    }

    @Test("supplementary GIDs are integers, negatives included, under any key case")
    func supplementaryGIDs() throws {
        #expect(try app(#""supplementaryGids":[10,-1,0]"#).supplementaryGIDs == [10, -1, 0])
        #expect(try app(#""SUPPLEMENTARYGIDS":[5]"#).supplementaryGIDs == [5])
        #expect(appError(#""supplementaryGIDs":["1"]"#) == "app.supplementaryGIDs[0]: expected an integer, got a string")
        #expect(appError(#""supplementaryGIDs":[1.5]"#) == "app.supplementaryGIDs[0]: expected an integer, got 1.5")
        #expect(appError(#""supplementaryGIDs":[1.0]"#) == "app.supplementaryGIDs[0]: expected an integer, got 1.0")
    }

    @Test("ports are range-checked with their paths")
    func ports() throws {
        let ports = try app(#""ports":[{"name":"http","protocol":"tcp","port":80},{"name":"last","protocol":"udp","port":65535,"count":1}]"#).ports
        #expect(ports.map(\.count) == [1, 1])
        #expect(appError(#""ports":[{"name":"p","port":0}]"#) == "app.ports[0].port: port must be in 1-65535 range (got 0)")
        #expect(appError(#""ports":[{"name":"p","port":65536}]"#) == "app.ports[0].port: port must be in 1-65535 range (got 65536)")
        #expect(appError(#""ports":[{"name":"p","port":65535,"count":2}]"#)
            == "app.ports[0].count: end of port range must be in 1-65535 range (port 65535, count 2)")
        #expect(appError(#""ports":[{"name":"p","port":-1}]"#) == "app.ports[0].port: expected a non-negative integer, got -1")
        #expect(appError(#""ports":[{"name":"P","port":1}]"#)
            == #"app.ports[0].name: ACName must contain only lower case alphanumeric characters plus "-" (got "P")"#)
    }

    @Test("mount point names are AC Names; missing names and paths are not checked when reading")
    func mountPoints() throws {
        let points = try app(#""mountPoints":[{"name":"data","path":"/d","readOnly":true},{"path":"/x"},{"name":"n"}]"#).mountPoints
        #expect(points.map(\.name.value) == ["data", "", "n"])
        #expect(points.map(\.readOnly) == [true, false, false])
        #expect(appError(#""mountPoints":[{"name":"Data","path":"/d"}]"#)
            == #"app.mountPoints[0].name: ACName must contain only lower case alphanumeric characters plus "-" (got "Data")"#)
    }

    @Test("user annotations and labels are string maps; null values are empty strings")
    func userMaps() throws {
        let app = try app(#""userAnnotations":{"b":"2","a":null},"userLabels":{"tier":"web"}"#)
        #expect(app.userAnnotations == ["a": "", "b": "2"])
        #expect(app.userLabels == ["tier": "web"])
        #expect(appError(#""userAnnotations":{"a":1}"#) == "app.userAnnotations.a: expected a string, got a number")
        #expect(appError(#""userLabels":[]"#) == "app.userLabels: expected an object, got an array")
    }

    @Test("unknown app keys are ignored and known ones match in any case")
    func keys() throws {
        let app = try #require(try decoded(ImageManifest.self, Fixture.image(#""app":{"USER":"1","Group":"2","Exec":["/x"],"extra":true}"#)).app)
        #expect(app.user == "1" && app.group == "2" && app.exec == ["/x"])
    }

    @Test("building an app in code checks the same rules")
    func building() throws {
        #expect(thrownError { try App(exec: ["/x"], user: "", group: "0") } == "user: user is required")
        #expect(thrownError { try App(exec: nil, user: "0", group: "0", workingDirectory: "rel") }
            == #"workingDirectory: workingDirectory must be an absolute path (got "rel")"#)
        let app = try App(exec: ["/x"], user: "0", group: "0", environment: [try EnvironmentVariable(name: "A", value: "1")])
        #expect(app.environmentValue("A") == "1")
        #expect(thrownError {
            try App(exec: nil, user: "0", group: "0", environment: [try EnvironmentVariable(name: "A", value: "1"),
                                                                    try EnvironmentVariable(name: "A", value: "2")])
        } == #"environment[1]: duplicate environment variable of name "A""#)
    }

    // MARK: Go null and duplicate semantics

    @Test("a later null leaves an earlier user in place, as Go's decoder does")
    func laterNullUser() {
        // Reference: {"app":{"user":"0","user":null,"group":"0"}} validates.
        #expect(decodingError(ImageManifest.self, Fixture.image(#""app":{"user":"0","user":null,"group":"0"}"#)) == nil)
    }

    @Test("an invalid earlier duplicate still fails, as Go decodes every duplicate")
    func invalidEarlierDuplicate() {
        // Reference: json: cannot unmarshal number into Go struct field imageManifest.app of type string.
        #expect(decodingError(ImageManifest.self, Fixture.image(#""app":{"user":5,"user":"0","group":"0"}"#)) != nil)
    }

    @Test("null elements of exec, supplementary GIDs and mount points are zero values, as Go decodes them")
    func nullElements() {
        // Reference: each of these validates.
        #expect(appError(#""exec":[null]"#) == nil)
        #expect(appError(#""supplementaryGIDs":[null]"#) == nil)
        #expect(appError(#""mountPoints":[null]"#) == nil)
    }

    @Test("a null mount point or port name is refused, as Go's ACName decoder is called with null")
    func nullNames() {
        // Reference: invalid ImageManifest: ACName cannot be empty.
        #expect(appError(#""mountPoints":[{"name":null,"path":"/x"}]"#) == "app.mountPoints[0].name: ACName cannot be empty")
        #expect(appError(#""ports":[{"name":null,"port":1}]"#) == "app.ports[0].name: ACName cannot be empty")
    }
}
