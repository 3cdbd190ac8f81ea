import AppcSchema
import TestSupport
import Testing

@Suite("Pod volumes")
struct VolumeTests {
    @Test("a host volume needs an absolute source")
    func hostVolume() throws {
        let volume = try decoded(Volume.self, #"{"name":"data","kind":"host","source":"/srv","readOnly":true,"recursive":false}"#)
        #expect(volume.kind == .host && volume.source == "/srv")
        #expect(volume.readOnly == true && volume.recursive == false)
        #expect(volume.mode == nil && volume.uid == nil && volume.gid == nil)
    }

    @Test("an empty volume gets mode 0755, uid 0 and gid 0 unless given")
    func emptyVolumeDefaults() throws {
        let defaults = try decoded(Volume.self, #"{"name":"tmp","kind":"empty"}"#)
        #expect(defaults.mode == "0755" && defaults.uid == 0 && defaults.gid == 0)
        #expect(defaults.readOnly == nil && defaults.recursive == nil)
        let given = try decoded(Volume.self, #"{"name":"tmp","kind":"empty","mode":"0700","uid":1000,"gid":-1}"#)
        #expect(given.mode == "0700" && given.uid == 1000 && given.gid == -1)
    }

    @Test("the mode of an empty volume is not checked")
    func modeUnchecked() throws {
        #expect(try decoded(Volume.self, #"{"name":"tmp","kind":"empty","mode":"bogus"}"#).mode == "bogus")
    }

    @Test("volume rules", arguments: [
        (#"{"name":"v","kind":"empty","source":"/x"}"#, "source: source for empty volume must be empty"),
        (#"{"name":"v","kind":"host"}"#, "source: source for host volume cannot be empty"),
        (#"{"name":"v","kind":"host","source":"rel"}"#, #"source: source for host volume must be absolute path (got "rel")"#),
        (#"{"name":"v","kind":"host","source":"/x","mode":"0700"}"#, "mode: mode for host volume cannot be set"),
        (#"{"name":"v","kind":"host","source":"/x","uid":0}"#, "uid: uid for host volume cannot be set"),
        (#"{"name":"v","kind":"host","source":"/x","gid":0}"#, "gid: gid for host volume cannot be set"),
        (#"{"name":"v","kind":"tmpfs"}"#, #"kind: unrecognized volume kind: should be one of "empty", "host" (got "tmpfs")"#),
        (#"{"name":"v"}"#, #"kind: unrecognized volume kind: should be one of "empty", "host" (got "")"#),
        (#"{"name":"v","kind":"Host","source":"/x"}"#, #"kind: unrecognized volume kind: should be one of "empty", "host" (got "Host")"#),
        (#"{"kind":"empty"}"#, "name: name must be set"),
        (#"{"name":"V","kind":"empty"}"#, #"name: ACName must contain only lower case alphanumeric characters plus "-" (got "V")"#),
        (#"{"name":"v","kind":"empty","uid":"0"}"#, "uid: expected an integer, got a string"),
    ])
    func rules(json: String, message: String) {
        #expect(decodingError(Volume.self, json) == message)
    }

    @Test("an empty volume is encoded with its defaults, in the reference's field order")
    func encoding() throws {
        #expect(compactText(try decoded(Volume.self, #"{"kind":"empty","name":"v","readOnly":false}"#))
            == #"{"name":"v","kind":"empty","readOnly":false,"mode":"0755","uid":0,"gid":0}"#)
        #expect(compactText(try decoded(Volume.self, #"{"kind":"host","name":"v","source":"/s","recursive":true}"#))
            == #"{"name":"v","kind":"host","source":"/s","recursive":true}"#)
    }

    // MARK: Command-line form

    @Test("the command-line form is NAME,kind=K[,key=value…]")
    func parsing() throws {
        let host = try Volume(parsing: "data,kind=host,source=/srv/a=b,readOnly=T,recursive=0")
        #expect(host.name.value == "data" && host.kind == .host && host.source == "/srv/a=b")
        #expect(host.readOnly == true && host.recursive == false)
        let empty = try Volume(parsing: "tmp,kind=empty,mode=0700,uid=5,gid=6")
        #expect(empty.mode == "0700" && empty.uid == 5 && empty.gid == 6)
        let defaults = try Volume(parsing: "tmp,kind=empty")
        #expect(defaults.mode == "0755" && defaults.uid == 0 && defaults.gid == 0)
    }

    @Test("command-line errors", arguments: [
        ("data,kind=host,source=rel", #"source: source for host volume must be absolute path (got "rel")"#),
        ("data,kind=host", "source: source for host volume cannot be empty"),
        ("data,kind=empty,source=/x", "source: source for empty volume must be empty"),
        ("data,kind=host,source=/x,uid=1", "uid: uid for host volume cannot be set"),
        ("Data,kind=empty", #"ACName must contain only lower case alphanumeric characters plus "-" (got "Data")"#),
        ("data,kind=tmpfs", #"kind: unrecognized volume kind: should be one of "empty", "host" (got "tmpfs")"#),
        ("data,kind=empty,color=red", #"unknown volume parameter "color""#),
        ("data,kind=empty,kind=host", #"label kind with multiple values ["empty" "host"]"#),
        ("data,kind", #"malformed string "name=data,kind" - has a label without a value: kind"#),
        ("data,kind=host,source=/x,readOnly=maybe", #"invalid boolean "maybe" (use true or false)"#),
        ("data,kind=empty,uid=x", #"uid: "x" is not a number"#),
        ("name=x,kind=empty", #"ACName must contain only lower case alphanumeric characters plus "-" (got "name=x")"#),
    ])
    func parsingErrors(text: String, message: String) {
        #expect(thrownError { try Volume(parsing: text) } == message)
    }
}
