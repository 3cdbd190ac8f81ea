import AppcSchema
import TestSupport
import Testing

@Suite("Mount points")
struct MountPointTests {
    @Test("the command-line form is NAME,path=P[,readOnly=B]")
    func parsing() throws {
        let plain = try MountPoint(parsing: "data,path=/var/data")
        #expect(plain.name.value == "data" && plain.path == "/var/data" && !plain.readOnly)
        #expect(try MountPoint(parsing: "data,path=/var/data,readOnly=true").readOnly)
        #expect(try MountPoint(parsing: "data,readOnly=1,path=/a=b").path == "/a=b")
    }

    @Test("command-line errors", arguments: [
        ("data", "path must be set"),
        ("data,path=", "path must be set"),
        ("data,color=red,path=/x", #"unknown mountpoint parameter "color""#),
        ("Data,path=/x", #"ACName must contain only lower case alphanumeric characters plus "-" (got "Data")"#),
        ("data,path=/x,readOnly=yes", #"invalid boolean "yes" (use true or false)"#),
        ("data,path=/a,path=/b", #"label path with multiple values ["/a" "/b"]"#),
        ("data,path", #"malformed string "name=data,path" - has a label without a value: path"#),
        (",path=/x", "ACName cannot be empty"),
    ])
    func parsingErrors(text: String, message: String) {
        #expect(thrownError { try MountPoint(parsing: text) } == message)
    }

    @Test("building a mount point in code needs a path")
    func building() throws {
        #expect(thrownError { try MountPoint(name: ACName("a"), path: "") } == "path must be set")
        #expect(try MountPoint(name: ACName("a"), path: "/a").path == "/a")
    }

    @Test("readOnly is written only when true")
    func encoding() throws {
        #expect(compactText(try MountPoint(name: ACName("a"), path: "/a")) == #"{"name":"a","path":"/a"}"#)
        #expect(compactText(try MountPoint(name: ACName("a"), path: "/a", readOnly: true)) == #"{"name":"a","path":"/a","readOnly":true}"#)
    }

    @Test("readOnly must be a boolean in JSON")
    func readOnlyType() {
        #expect(decodingError(MountPoint.self, #"{"name":"a","path":"/a","readOnly":"true"}"#) == "readOnly: expected a boolean, got a string")
    }
}
