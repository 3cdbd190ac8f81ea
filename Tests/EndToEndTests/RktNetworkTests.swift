import Foundation
import TestSupport
import Testing

/// Issue 18: pods on CNI networks (the real plugins of /usr/lib/cni), run in a network lab so the
/// host's links and iptables stay as they are. Each pod's networks must be gone after it.
@Suite("rkt pods: CNI networks and forwarded ports", .serialized, .enabled(if: PodTestSupport.isRoot, PodTestSupport.needsRoot))
struct RktNetworkTests {
    static let applets = PodTestSupport.applets + ["wget", "httpd", "ip"]
    static let webManifest = PodTestSupport.manifest("example.com/web", app: #"""
        {"exec":["/bin/httpd","-f","-p","80","-h","/srv"],"user":"0","group":"0","ports":[{"name":"http","protocol":"tcp","port":80}]}
        """#)

    /// A home whose rkt runs in a fresh lab; the image serves `/srv` with busybox httpd.
    static func lab(_ tag: String) throws -> (PodHome, NetworkLab, String) {
        let lab = try NetworkLab(tag)
        let home = try PodHome()
        home.launcher = lab.launcher()
        let image = try home.image(manifest: webManifest, files: ["srv/index.html": "pod-page\n"], applets: applets)
        return (home, lab, image)
    }

    /// `rkt run` of a shell script in the image, with rkt's `--net` arguments.
    static func shell(_ home: PodHome, _ image: String, net: [String], _ script: String, uuidFile: String? = nil) throws -> Tool.Result {
        try home.run(net + (uuidFile.map { ["--uuid-file-save=\($0)"] } ?? []) + [image, "--exec=/bin/sh", "--", "-c", script])
    }

    @Test("default: the pod reaches the host's address and, masqueraded, a machine behind it; rkt list and status show its address")
    func defaultNetwork() throws {
        let (home, lab, image) = try Self.lab("default")
        try lab.serve("lab-page")
        try lab.serve("peer-page", in: lab.peer)
        let uuidFile = home.path("uuid")
        let result = try Self.shell(home, image, net: [], """
            wget -q -O- http://\(NetworkLab.labAddress):8080/; wget -q -O- http://\(NetworkLab.peerAddress):8080/; ip -o -4 address show eth0
            """, uuidFile: uuidFile)
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        #expect(result.stdout.contains("lab-page") && result.stdout.contains("peer-page"), "\(result.stdout) \(result.stderr)")
        #expect(result.stdout.contains("inet 172.16.28."), "\(result.stdout)")
        let uuid = try #require(home.uuid(uuidFile))
        let status = try home.status(uuid)
        #expect(status["networks"]?.hasPrefix("default:ip4=172.16.28.") == true, "\(status)")
        let list = try home.rkt(["list", "--full", "--no-legend"]).stdout
        #expect(list.contains("default:ip4=172.16.28."), "\(list)")
        let json = try home.rkt(["list", "--format=json"]).stdout
        #expect(json.contains(#""netName":"default""#) && json.contains(#""ifName":"eth0""#) && json.contains(#""mask":"255.255.255.0""#), "\(json)")
        #expect(NetworkLab.leases(of: [uuid]).isEmpty && NetworkLab.namespaces(of: [uuid]).isEmpty)
    }

    @Test("default-restricted reaches the host but not an address behind it; --net=none reaches nothing")
    func restrictedAndNone() throws {
        let (home, lab, image) = try Self.lab("restricted")
        try lab.serve("lab-page")
        try lab.serve("peer-page", in: lab.peer)
        let restricted = try Self.shell(home, image, net: ["--net=default-restricted"], """
            gateway=$(ip route | sed -n 's/.* via \\([0-9.]*\\).*/\\1/p' | head -n 1)
            wget -q -O- http://$gateway:8080/; wget -q -O- http://\(NetworkLab.peerAddress):8080/ || echo peer-unreachable
            ip route | grep -c default | sed 's/^/default-routes=/'
            """)
        #expect(restricted.stdout.contains("lab-page"), "\(restricted.stdout) \(restricted.stderr)")
        #expect(restricted.stdout.contains("peer-unreachable") && !restricted.stdout.contains("peer-page"), "\(restricted.stdout)")
        #expect(restricted.stdout.contains("default-routes=0"), "\(restricted.stdout)")
        let none = try Self.shell(home, image, net: ["--net=none"], """
            wget -q -O- http://\(NetworkLab.labAddress):8080/ || echo lab-unreachable; ip -o link | grep -vc ': lo:' | sed 's/^/links=/'
            """)
        #expect(none.stdout.contains("lab-unreachable") && none.stdout.contains("links=0"), "\(none.stdout) \(none.stderr)")
    }

    @Test("two pods on a user bridge network of net.d reach each other; a pod not on default also joins default-restricted")
    func bridgeNetwork() throws {
        let (home, lab, image) = try Self.lab("bridge")
        try FileManager.default.createDirectory(atPath: "\(home.local)/net.d", withIntermediateDirectories: true)
        try #"{"cniVersion": "0.4.0", "name": "lan", "type": "bridge", "bridge": "rktlan0", "isGateway": true, "ipam": {"type": "host-local", "subnet": "10.99.0.0/24"}}"#
            .write(toFile: "\(home.local)/net.d/10-lan.conf", atomically: true, encoding: .utf8)
        let before = try lab.snapshot()
        let uuidFile = home.path("server-uuid")
        let server = try home.start(["--net=lan:IP=10.99.0.10", "--uuid-file-save=\(uuidFile)", image])
        let uuid = try #require(PodTestSupport.waitUntil(30) { home.uuid(uuidFile) != nil } ? home.uuid(uuidFile) : nil)
        #expect(PodTestSupport.waitUntil(30) { (try? home.status(uuid))?["networks"]?.contains("lan:ip4=10.99.0.10") == true },
                "\((try? home.status(uuid)) ?? [:]) \(server.stderr)")
        #expect((try home.status(uuid))["networks"]?.contains("default-restricted:ip4=172.31.") == true)
        let client = try Self.shell(home, image, net: ["--net=lan"], "wget -q -O- http://10.99.0.10/")
        #expect(client.stdout.contains("pod-page"), "\(client.stdout) \(client.stderr)")
        #expect(try home.rkt(["stop", uuid]).status == 0)
        #expect(server.wait(timeout: 30) != nil)
        _ = try lab.run("/usr/sbin/ip", ["link", "delete", "rktlan0"])
        try lab.expectUnchanged(since: before)
        #expect(NetworkLab.leases(of: [uuid]).isEmpty && NetworkLab.namespaces(of: [uuid]).isEmpty)
    }

    @Test("--port forwards a host port to the app from another machine and from the host; refused on host and none networks, for unknown names and for ports in use")
    func forwardedPorts() throws {
        let (home, lab, image) = try Self.lab("ports")
        try lab.serve("lab-page")
        let uuidFile = home.path("uuid")
        let server = try home.start(["--port=http:8081", "--uuid-file-save=\(uuidFile)", image])
        let uuid = try #require(PodTestSupport.waitUntil(30) { home.uuid(uuidFile) != nil } ? home.uuid(uuidFile) : nil)
        let url = "http://\(NetworkLab.labAddress):8081/"
        let fromPeer = PodTestSupport.waitUntil(30) { (try? lab.run("/usr/bin/curl", ["-sf", "-m", "2", url], in: lab.peer))?.stdout.contains("pod-page") == true }
        #expect(fromPeer, "\(server.stderr)")
        let fromHost = try lab.run("/usr/bin/curl", ["-sf", "-m", "5", url])
        #expect(fromHost.stdout.contains("pod-page"), "\(fromHost.stdout) \(fromHost.stderr)")
        #expect(try home.rkt(["stop", uuid]).status == 0)
        #expect(server.wait(timeout: 30) != nil)
        #expect(try lab.run("/usr/bin/curl", ["-sf", "-m", "2", url], in: lab.peer).status != 0, "the port is still forwarded after the pod")

        for (net, message) in [("--net=host", "--port flag does not work with 'host' networking"), ("--net=none", "--port flag does not work with 'none' networking")] {
            let refused = try home.rkt(["run", net, "--port=http:8082", image])
            #expect(refused.status != 0 && refused.stderr.contains(message), "\(refused.stderr)")
        }
        let unknown = try home.rkt(["run", "--port=nope:8082", image])
        #expect(unknown.status != 0 && unknown.stderr.contains(#"port name "nope" could not be found in any apps"#), "\(unknown.stderr)")
        let taken = try home.rkt(["run", "--port=http:8080", image])
        #expect(taken.status != 0 && taken.stderr.contains("8080 is already in use"), "\(taken.stderr)")
        home.expectNoLeftovers("refused --port runs")
    }

    @Test("a network whose plugin fails and an unknown network: the error names them, and nothing is left behind")
    func failingPlugin() throws {
        let (home, lab, image) = try Self.lab("failing")
        try FileManager.default.createDirectory(atPath: "\(home.local)/net.d", withIntermediateDirectories: true)
        try #"{"cniVersion": "0.4.0", "name": "broken", "type": "bridge", "bridge": "rktbroken0", "ipam": {"type": "host-local", "subnet": "not-a-subnet"}}"#
            .write(toFile: "\(home.local)/net.d/10-broken.conf", atomically: true, encoding: .utf8)
        let before = try lab.snapshot()
        let uuidFile = home.path("uuid")
        let failed = try home.rkt(["run", "--net=default,broken", "--uuid-file-save=\(uuidFile)", image, "--exec=/bin/true"])
        #expect(failed.status != 0)
        #expect(failed.stderr.contains(#"network "broken""#), "\(failed.stderr)")
        _ = try? lab.run("/usr/sbin/ip", ["link", "delete", "rktbroken0"])
        try lab.expectUnchanged(since: before)
        let uuid = home.uuid(uuidFile) ?? ""
        #expect(NetworkLab.leases(of: [uuid]).isEmpty && NetworkLab.namespaces(of: [uuid]).isEmpty)
        let unknown = try home.rkt(["run", "--net=nosuch", image, "--exec=/bin/true"])
        #expect(unknown.status != 0 && unknown.stderr.contains("networks not found: nosuch"), "\(unknown.stderr)")
        let duplicate = try home.rkt(["run", "--net=default,default", image])
        #expect(duplicate.status != 0 && duplicate.stderr.contains(#"found duplicate netname "default""#), "\(duplicate.stderr)")
    }

    @Test("50 pods with a forwarded port, then a stage1 killed -9 and rkt gc: links, addresses, routes, iptables, leases and namespaces as before")
    func nothingLeaks() throws {
        let (home, lab, image) = try Self.lab("leaks")
        // portmap's own chains stay once made (the plugin's choice): the first run makes them.
        try home.run(["--port=http:8083", image, "--exec=/bin/true"]).check("warm-up run")
        let before = try lab.snapshot()
        var uuids: [String] = []
        for run in 0..<50 {
            let uuidFile = home.path("uuid-\(run)")
            let result = try home.rkt(["run", "--port=http:8083", "--uuid-file-save=\(uuidFile)", image, "--exec=/bin/true"])
            #expect(result.status == 0, "\(result.stderr)")
            uuids.append(home.uuid(uuidFile) ?? "")
        }
        try lab.expectUnchanged(since: before)
        let uuidFile = home.path("killed-uuid")
        let killed = try home.start(["--port=http:8083", "--uuid-file-save=\(uuidFile)", image, "--exec=/bin/sh", "--", "-c", "echo ready; exec sleep 300"])
        #expect(killed.waitForOutput("ready"), "\(killed.stderr)")
        kill(killed.pid, SIGKILL)
        #expect(killed.wait(timeout: 30) != nil)
        let uuid = try #require(home.uuid(uuidFile))
        uuids.append(uuid)
        #expect(!NetworkLab.namespaces(of: [uuid]).isEmpty, "the killed pod's namespace is there for gc")
        #expect(PodTestSupport.waitUntil(30) { home.processes().isEmpty }, "\(home.processes().map(\.description))")
        let gc = try home.rkt(["--debug", "gc", "--grace-period=0s"])
        #expect(gc.status == 0, "\(gc.stderr)")
        try lab.expectUnchanged(since: before)
        #expect(NetworkLab.leases(of: uuids).isEmpty)
        #expect(NetworkLab.namespaces(of: uuids).isEmpty, "\(gc.stderr)")
    }

    @Test("--mds-register on the default network: AC_METADATA_URL names the network's gateway, and the app reads its pod's UUID there")
    func metadataServiceOnDefaultNetwork() throws {
        let (home, lab, image) = try Self.lab("mds")
        defer { withExtendedLifetime(lab) {} }
        let service = try MetadataServiceProcess(home: home)
        let uuidFile = home.path("uuid")
        let result = try home.run(["--mds-register", "--uuid-file-save=\(uuidFile)", image, "--exec=/bin/sh", "--", "-c",
                                   #"echo "url=$AC_METADATA_URL"; wget -q -O- --header 'Metadata-Flavor: AppContainer' "$AC_METADATA_URL/acMetadata/v1/pod/uuid""#],
                                  environment: service.environment)
        let uuid = try #require(home.uuid(uuidFile))
        #expect(result.status == 0, "\(result.stdout) \(result.stderr) \(service.stderr)")
        #expect(result.stdout.contains("url=http://172.16.28.1:\(service.port)/"), "\(result.stdout)")
        #expect(result.stdout.hasSuffix(uuid), "\(result.stdout)")
        #expect(service.stop() == 0)
    }
}
