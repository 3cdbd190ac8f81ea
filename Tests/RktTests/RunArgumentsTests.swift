import Testing
@testable import rkt

/// `rkt run` / `rkt prepare` command lines: what rkt's parseApps accepts and refuses.
@Suite struct RunArgumentsTests {
    @Test func anEndMarkerOutsideAppArgumentsIsIgnored() throws {
        let parsed = try RunArguments(["a.aci", "--name=a", "---", "b.aci", "--", "x", "---", "---", "c.aci"], allowsRunFlags: true)
        #expect(parsed.request.apps.map(\.image) == ["a.aci", "b.aci", "c.aci"])
        #expect(parsed.request.apps[1].arguments == ["x"])
    }

    @Test(arguments: [
        (["a.aci", "--mount=volume=v,target=relative"], "--mount target must be an absolute path"),
        (["--ipc=parent", "a.aci"], "--ipc=parent is not supported"),
        (["--dns=host", "--dns=192.0.2.1", "a.aci"], "--dns=host cannot be combined"),
        (["--hosts-entry=192.0.2.1", "a.aci"], "--hosts-entry takes IP=HOST"),
        (["--inherit-env=no", "a.aci"], "--inherit-env takes true or false"),
        (["--net=host", "--port=http:8080", "a.aci"], "--port flag does not work with 'host' networking"),
        (["--net=none", "--port=http:8080", "a.aci"], "--port flag does not work with 'none' networking"),
        (["--port=http", "a.aci"], #""http" is not in name:[ip:]port format"#),
        (["--port=http:99999", "a.aci"], #""99999" is not a valid port number"#),
        (["--port=http:300.1.1.1:80", "a.aci"], #""300.1.1.1" is not a valid IP"#),
        (["--port=Not_A_Name:80", "a.aci"], #""Not_A_Name" is not a valid port name"#),
        (["--net=default,default", "a.aci"], #"found duplicate netname "default""#),
        (["--net=host,default", "a.aci"], "--net=host cannot be combined with other networks"),
        (["--net=all:IP=10.0.0.1", "a.aci"], #"arguments are not supported by special netname "all""#),
        (["--net=lan:a:b", "a.aci"], #"network "lan" provided with invalid arguments"#),
        (["--pod-manifest=p.json", "--port=http:8080"], "conflicting flags set with --pod-manifest"),
    ])
    func refused(_ line: [String], _ message: String) {
        let error = #expect(throws: (any Error).self) {
            let parsed = try RunArguments(line, allowsRunFlags: true)
            _ = try parsed.network
        }
        #expect("\(error.map { "\($0)" } ?? "")".contains(message), "\(String(describing: error))")
    }

    @Test(arguments: ["--net=host", "--dns=192.0.2.1", "--dns-search=example", "--hosts-entry=192.0.2.1=a", "--hostname=h", "--interactive", "--mds-register=false"])
    func prepareRefusesRunFlags(_ flag: String) {
        #expect(throws: (any Error).self) { try RunArguments([flag, "a.aci"], allowsRunFlags: false) }
    }

    @Test func mdsRegisterIsAPodFlagOfRun() throws {
        #expect(try RunArguments(["--mds-register", "a.aci"], allowsRunFlags: true).metadataRegister)
        #expect(try RunArguments(["--mds-register=true", "a.aci", "b.aci"], allowsRunFlags: true).metadataRegister)
    }

    @Test func acceptedPodFlags() throws {
        let parsed = try RunArguments(["--ipc=private", "--mds-register=false", "--interactive=0", "--inherit-env=T", "--dns=192.0.2.1",
                                       "--dns-opt=ndots:1", "a.aci", "--readonly-rootfs=F"], allowsRunFlags: true)
        #expect(!parsed.interactive && parsed.request.inheritEnvironment && !parsed.request.apps[0].readOnlyRootfs && !parsed.metadataRegister)
        #expect(parsed.dns.resolvMode == .stage0 && parsed.dns.resolvConf == "nameserver 192.0.2.1\noptions ndots:1\n")
    }

    @Test func networksAndPorts() throws {
        let parsed = try RunArguments(["--net=lan:IP=10.0.0.2", "--net", "--port=http:127.0.0.1:8080", "a.aci"], allowsRunFlags: true)
        #expect(try parsed.network == .networks([.init(name: "lan", arguments: "IP=10.0.0.2"), .init(name: "default")]))
        #expect(try parsed.network.argument == "lan:IP=10.0.0.2,default")
        #expect(parsed.request.ports.map { "\($0.name):\($0.hostIP ?? "-"):\($0.hostPort)" } == ["http:127.0.0.1:8080"])
        #expect(try RunArguments(["a.aci"], allowsRunFlags: true).network == .standard)
    }
}
