import AppcSchema
import TestSupport
import Testing

@Suite("Isolators")
struct IsolatorTests {
    private func isolator(_ name: String, _ value: String) throws -> Isolator {
        try decoded(Isolator.self, #"{"name":"\#(name)","value":\#(value)}"#)
    }

    /// The error decoding one isolator alone (paths start at the isolator).
    private func valueError(_ name: String, _ value: String) -> String? {
        decodingError(Isolator.self, #"{"name":"\#(name)","value":\#(value)}"#)
    }

    /// The error decoding an image manifest whose app has these isolators.
    private func setError(_ isolators: String...) -> String? {
        decodingError(ImageManifest.self, Fixture.isolators(isolators.joined(separator: ",")))
    }

    // MARK: The 14 kinds and their values

    @Test("the reference knows exactly 14 isolator kinds")
    func kinds() {
        #expect(IsolatorKind.allCases.map(\.rawValue) == [
            "resource/cpu", "resource/memory", "resource/block-bandwidth", "resource/block-iops", "resource/network-bandwidth",
            "os/linux/capabilities-retain-set", "os/linux/capabilities-remove-set", "os/linux/seccomp-retain-set",
            "os/linux/seccomp-remove-set", "os/linux/no-new-privileges", "os/linux/oom-score-adj", "os/linux/cpu-shares",
            "os/linux/selinux-context", "os/unix/sysctl",
        ])
        #expect(IsolatorKind.allCases.filter(\.isResource).count == 5)
    }

    @Test("every kind accepts a valid value inside an app", arguments: [
        ("resource/cpu", #"{"request":"250m","limit":"1"}"#),
        ("resource/memory", #"{"limit":"1G"}"#),
        ("resource/block-bandwidth", #"{"default":true,"limit":"10M"}"#),
        ("resource/block-iops", #"{"default":true,"limit":1000}"#),
        ("resource/network-bandwidth", #"{"default":true}"#),
        ("os/linux/capabilities-retain-set", #"{"set":["CAP_NET_BIND_SERVICE"]}"#),
        ("os/linux/capabilities-remove-set", #"{"set":["CAP_PONIES"]}"#),
        ("os/linux/seccomp-retain-set", #"{"set":["@appc.io/all"],"errno":"EPERM"}"#),
        ("os/linux/seccomp-remove-set", #"{"set":["@appc.io/empty"]}"#),
        ("os/linux/no-new-privileges", "true"),
        ("os/linux/oom-score-adj", "-1000"),
        ("os/linux/cpu-shares", "1024"),
        ("os/linux/selinux-context", #"{"user":"system_u","role":"system_r","type":"svirt_lxc_net_t","level":"s0:c1,c2"}"#),
        ("os/unix/sysctl", #"{"net.ipv4.ip_forward":"1"}"#),
    ])
    func validValues(name: String, value: String) throws {
        #expect(setError(#"{"name":"\#(name)","value":\#(value)}"#) == nil)
        #expect(try isolator(name, value).kind?.rawValue == name)
    }

    @Test("cpu and memory refuse default true", arguments: ["resource/cpu", "resource/memory"])
    func defaultMustBeFalse(name: String) throws {
        #expect(valueError(name, #"{"default":true,"limit":"1"}"#) == "value: default must be false")
        #expect(valueError(name, #"{"default":false,"request":"1"}"#) == nil)
        #expect(valueError(name, "{}") == nil)
    }

    @Test("block and network resources need default true and refuse a request",
          arguments: ["resource/block-bandwidth", "resource/block-iops", "resource/network-bandwidth"])
    func defaultMustBeTrue(name: String) {
        #expect(valueError(name, #"{"limit":"1"}"#) == "value: default must be true")
        #expect(valueError(name, #"{"default":false,"limit":"1"}"#) == "value: default must be true")
        #expect(valueError(name, #"{"default":true,"request":"1","limit":"1"}"#) == "value: request not supported by this resource, must be empty")
        #expect(valueError(name, #"{"default":true,"request":null}"#) == nil)
    }

    @Test("resource values hold their quantities")
    func resourceValue() throws {
        let memory = try isolator("resource/memory", #"{"request":"512Mi","limit":1e9}"#)
        guard case .resource(let resource) = memory.value else { Issue.record("not a resource: \(String(describing: memory.value))"); return }
        #expect(!resource.isDefault)
        #expect(resource.request?.value == 536_870_912)
        #expect(resource.limit?.value == 1_000_000_000)
        #expect(resource.limit?.description == "1e9")
    }

    @Test("resource quantities and flags are type-checked")
    func resourceTypes() {
        #expect(valueError("resource/cpu", #"{"limit":"lots"}"#)
            == "value.limit: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
        #expect(valueError("resource/cpu", #"{"limit":true}"#) == "value.limit: expected a quantity, got a boolean")
        #expect(valueError("resource/cpu", #"{"default":"false"}"#) == "value.default: expected a boolean, got a string")
        #expect(valueError("resource/cpu", "[]") == "value: expected an object, got an array")
    }

    @Test("a quantity written with escapes is refused, as the reference parses the raw JSON text")
    func escapedQuantity() {
        // Reference: {"limit":"\u0031G"} → quantities must match the regular expression …
        #expect(valueError("resource/memory", #"{"limit":"\u0031G"}"#) != nil)
    }

    @Test("capability sets must not be empty; names are not checked",
          arguments: ["os/linux/capabilities-retain-set", "os/linux/capabilities-remove-set"])
    func capabilities(name: String) throws {
        #expect(valueError(name, #"{"set":[]}"#) == "value: set must be non-empty")
        #expect(valueError(name, "{}") == "value: set must be non-empty")
        #expect(valueError(name, #"{"set":[1]}"#) == "value.set[0]: expected a string, got a number")
        #expect(try isolator(name, #"{"set":["CAP_PONIES","CAP_KILL"]}"#).value == .capabilities(["CAP_PONIES", "CAP_KILL"]))
    }

    @Test("seccomp sets must not be empty and take an optional errno of upper case and digits",
          arguments: ["os/linux/seccomp-retain-set", "os/linux/seccomp-remove-set"])
    func seccomp(name: String) throws {
        #expect(valueError(name, #"{"set":[]}"#) == "value: set must be non-empty")
        #expect(valueError(name, #"{"set":["a"],"errno":"eperm"}"#) == "value: errno must start with an 'E' character, got eperm")
        #expect(valueError(name, #"{"set":["a"],"errno":"PERM"}"#) == "value: errno must start with an 'E' character, got PERM")
        #expect(valueError(name, #"{"set":["a"],"errno":"E_X"}"#) == "value: errno can only contain upper case or numeric characters, got E_X")
        #expect(valueError(name, #"{"set":["a"],"errno":"Eperm"}"#) == "value: errno can only contain upper case or numeric characters, got Eperm")
        for errno in ["", "E", "EPERM", "E2BIG", "EÉ", "E٣", "EⅫ", "E²"] {
            #expect(valueError(name, #"{"set":["a"],"errno":"\#(errno)"}"#) == nil, "errno \(errno)")
        }
        let set = try isolator(name, #"{"set":["read","write"],"errno":"ENOSYS"}"#)
        #expect(set.value == .seccomp(try SeccompSet(syscalls: ["read", "write"], errno: "ENOSYS")))
    }

    @Test("errno letters must be upper case letters or numbers by Go's unicode tables", arguments: ["EⒶ", "E一"])
    func seccompErrnoUnicode(errno: String) {
        // Reference: "EⒶ" (So) and "E一" (Lo) are refused; Go's IsUpper is Lu only and IsNumber is N* only.
        #expect(valueError("os/linux/seccomp-retain-set", #"{"set":["a"],"errno":"\#(errno)"}"#)
            == "value: errno can only contain upper case or numeric characters, got \(errno)")
    }

    @Test("seccomp sets encode set then errno")
    func seccompEncoding() throws {
        #expect(try SeccompSet(syscalls: ["a"]).json == JSONValue.object(["set": .array([.string("a")]), "errno": .string("")]))
        #expect(thrownError { try SeccompSet(syscalls: []) } == "set must be non-empty")
    }

    @Test("no-new-privileges is a JSON boolean")
    func noNewPrivileges() throws {
        #expect(try isolator("os/linux/no-new-privileges", "false").value == .noNewPrivileges(false))
        #expect(valueError("os/linux/no-new-privileges", #""true""#) == "value: expected a boolean, got a string")
        #expect(valueError("os/linux/no-new-privileges", "1") == "value: expected a boolean, got a number")
    }

    @Test("oom-score-adj is an integer from -1000 to 1000", arguments: [
        ("-1000", nil), ("0", nil), ("-0", nil), ("1000", nil),
        ("1001", "value: os/linux/oom-score-adj must be between -1000 and 1000, got 1001"),
        ("-1001", "value: os/linux/oom-score-adj must be between -1000 and 1000, got -1001"),
        ("5.0", "value: expected an integer, got 5.0"),
        (#""5""#, "value: expected an integer, got a string"),
    ] as [(String, String?)])
    func oomScoreAdj(value: String, message: String?) {
        #expect(valueError("os/linux/oom-score-adj", value) == message)
    }

    @Test("cpu-shares is an integer from 2 to 262144", arguments: [
        ("2", nil), ("262144", nil),
        ("1", "value: os/linux/cpu-shares must be between 2 and 262144, got 1"),
        ("262145", "value: os/linux/cpu-shares must be between 2 and 262144, got 262145"),
        ("1e3", "value: expected an integer, got 1e3"),
    ] as [(String, String?)])
    func cpuShares(value: String, message: String?) {
        #expect(valueError("os/linux/cpu-shares", value) == message)
    }

    @Test("selinux-context needs user, role and type without colons and a level", arguments: [
        (#"{"user":"u","role":"r","type":"t","level":"s0:c1"}"#, nil),
        (#"{"role":"r","type":"t","level":"s0"}"#, #"value: invalid user value """#),
        (#"{"user":"u:x","role":"r","type":"t","level":"s0"}"#, #"value: invalid user value "u:x""#),
        (#"{"user":"u","role":"","type":"t","level":"s0"}"#, #"value: invalid role value """#),
        (#"{"user":"u","role":"r:","type":"t","level":"s0"}"#, #"value: invalid role value "r:""#),
        (#"{"user":"u","role":"r","level":"s0"}"#, #"value: invalid type value """#),
        (#"{"user":"u","role":"r","type":":t","level":"s0"}"#, #"value: invalid type value ":t""#),
        (#"{"user":"u","role":"r","type":"t"}"#, #"value: invalid level value """#),
        (#"{"user":"u","role":"r","type":"t","level":""}"#, #"value: invalid level value """#),
    ] as [(String, String?)])
    func selinux(value: String, message: String?) {
        #expect(valueError("os/linux/selinux-context", value) == message)
    }

    @Test("sysctl values must be strings; null is the empty string")
    func sysctl() throws {
        #expect(try isolator("os/unix/sysctl", #"{"a":"1","b":null}"#).value == .sysctl(["a": "1", "b": ""]))
        #expect(valueError("os/unix/sysctl", #"{"a":1}"#) == "value.a: expected a string, got a number")
        #expect(valueError("os/unix/sysctl", #"["a"]"#) == "value: expected an object, got an array")
    }

    @Test("a known isolator without a value is refused with a clear error", arguments: [
        #"{"name":"os/linux/oom-score-adj"}"#, #"{"name":"os/linux/oom-score-adj","value":null}"#,
    ])
    func missingValue(json: String) {
        #expect(decodingError(Isolator.self, json) == #"value: isolator "os/linux/oom-score-adj" needs a value"#)
    }

    // MARK: Unknown isolators

    @Test("an unknown isolator decodes alone, with its value kept but not typed")
    func unknownAlone() throws {
        let unknown = try isolator("example.com/custom", #"{ "x" : [1, 2.50] }"#)
        #expect(unknown.kind == nil && unknown.value == nil)
        #expect(unknown.encodedValue.map { String(decoding: $0, as: UTF8.self) } == #"{"x":[1,2.50]}"#)
        #expect(try decoded(Isolator.self, #"{"name":"example.com/novalue"}"#).encodedValue == nil)
    }

    @Test("an unknown isolator makes an app invalid")
    func unknownInApp() {
        let known = IsolatorKind.allCases.map(\.rawValue).joined(separator: ", ")
        #expect(setError(#"{"name":"example.com/custom","value":{}}"#)
            == #"app.isolators[0]: invalid isolator: unknown isolator "example.com/custom" (known: \#(known))"#)
    }

    @Test("an isolator name is an AC Identifier")
    func nameIsIdentifier() {
        #expect(decodingError(Isolator.self, #"{"name":"Resource/CPU","value":{}}"#)
            == #"name: ACIdentifier must contain only lower case alphanumeric characters plus "-._~/" (got "Resource/CPU")"#)
    }

    // MARK: Set rules

    @Test("single-instance kinds may appear only once in an app", arguments: [
        ("os/linux/seccomp-retain-set", #"{"set":["a"]}"#), ("os/linux/seccomp-remove-set", #"{"set":["a"]}"#),
        ("os/linux/oom-score-adj", "1"), ("os/linux/cpu-shares", "2"),
        ("os/linux/selinux-context", #"{"user":"u","role":"r","type":"t","level":"s0"}"#), ("os/unix/sysctl", "{}"),
    ])
    func singleInstance(name: String, value: String) {
        let one = #"{"name":"\#(name)","value":\#(value)}"#
        #expect(setError(one, one) == "app.isolators[1]: isolators set contains too many instances of type \(name)")
        #expect(IsolatorKind(rawValue: name)?.allowsMultiple == false)
    }

    @Test("other kinds may appear several times in an app", arguments: [
        ("resource/cpu", #"{"limit":"1"}"#), ("resource/memory", #"{"limit":"1"}"#),
        ("resource/block-bandwidth", #"{"default":true}"#), ("resource/block-iops", #"{"default":true}"#),
        ("resource/network-bandwidth", #"{"default":true}"#), ("os/linux/capabilities-retain-set", #"{"set":["a"]}"#),
        ("os/linux/capabilities-remove-set", #"{"set":["a"]}"#), ("os/linux/no-new-privileges", "true"),
    ])
    func multipleInstances(name: String, value: String) {
        let one = #"{"name":"\#(name)","value":\#(value)}"#
        #expect(setError(one, one) == nil)
        #expect(IsolatorKind(rawValue: name)?.allowsMultiple == true)
    }

    @Test("seccomp retain and remove sets conflict in either order")
    func seccompConflict() {
        let retain = #"{"name":"os/linux/seccomp-retain-set","value":{"set":["a"]}}"#
        let remove = #"{"name":"os/linux/seccomp-remove-set","value":{"set":["a"]}}"#
        #expect(setError(retain, remove)
            == "app.isolators[1]: isolators set contains incompatible types (os/linux/seccomp-remove-set with os/linux/seccomp-retain-set)")
        #expect(setError(remove, retain)
            == "app.isolators[1]: isolators set contains incompatible types (os/linux/seccomp-retain-set with os/linux/seccomp-remove-set)")
    }

    @Test("capability retain and remove sets do not conflict, as in the reference")
    func capabilitiesNoConflict() {
        #expect(setError(#"{"name":"os/linux/capabilities-retain-set","value":{"set":["a"]}}"#,
                         #"{"name":"os/linux/capabilities-remove-set","value":{"set":["b"]}}"#) == nil)
    }

    // MARK: Encoding

    @Test("the value is kept verbatim but compacted, HTML characters escaped")
    func encodingVerbatim() throws {
        let isolator = try isolator("os/linux/capabilities-retain-set", #"{ "set" : [ "CAP_<&>", "\u0041" ] , "extra": 1.50 }"#)
        #expect(compactText(isolator) == #"{"name":"os/linux/capabilities-retain-set","value":{"set":["CAP_\u003c\u0026\u003e","\u0041"],"extra":1.50}}"#)
    }

    @Test("an unknown isolator without a value encodes a null value")
    func encodingNullValue() throws {
        #expect(compactText(try decoded(Isolator.self, #"{"name":"x/y","value":null}"#)) == #"{"name":"x/y","value":null}"#)
    }

    @Test("the last of duplicate value members is the one decoded and kept")
    func duplicateValue() throws {
        let isolator = try decoded(Isolator.self, #"{"name":"os/linux/oom-score-adj","value":5000,"VALUE":5}"#)
        #expect(isolator.value == .oomScoreAdj(5))
        #expect(compactText(isolator) == #"{"name":"os/linux/oom-score-adj","value":5}"#)
    }

    @Test("building a known isolator in code checks and compacts its value")
    func building() throws {
        let value = try JSONParser.parse(#"{ "limit" : "1G" }"#)
        let isolator = try Isolator(kind: .memory, value: value)
        #expect(isolator.name.value == "resource/memory")
        #expect(compactText(isolator) == #"{"name":"resource/memory","value":{"limit":"1G"}}"#)
        #expect(thrownError { try Isolator(kind: .cpu, value: .object(["default": .bool(true)])) } == "value: default must be false")
    }
}
