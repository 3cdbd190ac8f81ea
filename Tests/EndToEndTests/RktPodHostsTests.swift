import Foundation
import TestSupport
import Testing

/// Issue 6: an app's /etc/hosts and /etc/resolv.conf — generated when the image has none, the
/// image's own kept, and what --hosts-entry and --dns put in them (rkt's stage0 writes
/// /etc/rkt-hosts and /etc/rkt-resolv.conf, which stage1's prepare-app places over the app's).
@Suite("rkt pods: /etc/hosts and /etc/resolv.conf", .serialized, .enabled(if: PodTestSupport.isRoot, PodTestSupport.needsRoot))
struct RktPodHostsTests {
    static let showFiles = "cat /etc/hosts; echo ---; cat /etc/resolv.conf"

    /// The two files as the app printed them with `showFiles`.
    static func files(_ output: String) -> (hosts: String, resolv: String) {
        let parts = output.components(separatedBy: "---\n")
        return (parts.first ?? "", parts.count > 1 ? parts[1] : "")
    }

    /// The lines of a hosts file as whitespace-separated fields.
    static func entries(_ hosts: String) -> [[String]] {
        hosts.split(separator: "\n").map { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) }
    }

    static let imageFiles = ["etc/hosts": "192.0.2.200 from-the-image\n", "etc/resolv.conf": "nameserver 192.0.2.201\n"]

    @Test("an image without /etc/hosts gets localhost and the pod's hostname; without /etc/resolv.conf the host's")
    func generatedFiles() throws {
        let home = try PodHome()
        let image = try home.image()
        let uuidFile = home.path("uuid")
        let result = try home.run(["--uuid-file-save=\(uuidFile)", image, "--exec=/bin/sh", "--", "-c", Self.showFiles])
        #expect(result.status == 0, "\(result.stderr)")
        let uuid = try #require(home.uuid(uuidFile))
        let (hosts, resolv) = Self.files(result.stdout)
        let entries = Self.entries(hosts)
        #expect(entries.contains { $0.first == "127.0.0.1" && $0.contains("localhost") }, "\(hosts)")
        #expect(entries.contains { $0.first == "127.0.0.1" && $0.contains("rkt-\(uuid)") }, "the pod's hostname must resolve: \(hosts)")
        if let host = try? String(contentsOfFile: "/etc/resolv.conf", encoding: .utf8) {
            #expect(resolv == host, "without --dns the app gets the host's resolv.conf: \(resolv)")
        }

        let named = try home.run(["--hostname=web-pod", image, "--exec=/bin/cat", "--", "/etc/hosts"])
        #expect(Self.entries(named.stdout).contains { $0.first == "127.0.0.1" && $0.contains("web-pod") }, "\(named.stdout) \(named.stderr)")
    }

    @Test("--dns=IP,IP and --hosts-entry=IP=HOST (given twice) fill the generated /etc/resolv.conf and /etc/hosts")
    func dnsAndHostsEntries() throws {
        let home = try PodHome()
        let image = try home.image()
        let result = try home.run(["--dns=192.0.2.53,192.0.2.54", "--hosts-entry=192.0.2.7=db.example", "--hosts-entry=192.0.2.8=cache.example",
                                   image, "--exec=/bin/sh", "--", "-c", Self.showFiles])
        #expect(result.status == 0, "\(result.stderr)")
        let (hosts, resolv) = Self.files(result.stdout)
        #expect(resolv == "nameserver 192.0.2.53\nnameserver 192.0.2.54\n", "\(resolv)")
        let entries = Self.entries(hosts)
        #expect(entries.contains(["192.0.2.7", "db.example"]), "\(hosts)")
        #expect(entries.contains(["192.0.2.8", "cache.example"]), "\(hosts)")
        #expect(entries.contains { $0.first == "127.0.0.1" && $0.contains("localhost") }, "localhost must stay: \(hosts)")
    }

    @Test("an image's own /etc/hosts and /etc/resolv.conf are kept as they are")
    func imageFilesKept() throws {
        let home = try PodHome()
        let image = try home.image(files: Self.imageFiles)
        let result = try home.run([image, "--exec=/bin/sh", "--", "-c", Self.showFiles])
        #expect(result.status == 0, "\(result.stderr)")
        let (hosts, resolv) = Self.files(result.stdout)
        #expect(hosts == Self.imageFiles["etc/hosts"], "\(hosts)")
        #expect(resolv == Self.imageFiles["etc/resolv.conf"], "\(resolv)")
    }

    @Test("--dns and --hosts-entry win over the image's own files (rkt's prepare-app places stage0's files over the app's)")
    func flagsOverImageFiles() throws {
        let home = try PodHome()
        let image = try home.image(files: Self.imageFiles)
        let result = try home.run(["--dns=192.0.2.53", "--hosts-entry=192.0.2.7=db.example", image, "--exec=/bin/sh", "--", "-c", Self.showFiles])
        #expect(result.status == 0, "\(result.stderr)")
        let (hosts, resolv) = Self.files(result.stdout)
        #expect(resolv == "nameserver 192.0.2.53\n", "--dns was ignored because the image has a resolv.conf: \(resolv)")
        #expect(Self.entries(hosts).contains(["192.0.2.7", "db.example"]), "--hosts-entry was ignored because the image has /etc/hosts: \(hosts)")
    }

    @Test("--dns=host and --hosts-entry=host give the app the host's /etc/resolv.conf and /etc/hosts, as they are")
    func hostFiles() throws {
        let home = try PodHome()
        let image = try home.image(files: Self.imageFiles)
        let plain = try home.image("plain.aci")
        let hostHosts = try String(contentsOfFile: "/etc/hosts", encoding: .utf8)
        let hostResolv = (try? String(contentsOfFile: "/etc/resolv.conf", encoding: .utf8)) ?? ""
        for (name, file) in [("an image with its own files", image), ("an image without", plain)] {
            let result = try home.run(["--dns=host", "--hosts-entry=host", file, "--exec=/bin/sh", "--", "-c", Self.showFiles])
            #expect(result.status == 0, "\(name): \(result.stderr)")
            let (hosts, resolv) = Self.files(result.stdout)
            #expect(hosts == hostHosts, "\(name): /etc/hosts must be the host's: \(hosts)")
            #expect(!hosts.contains("\nhost\n"), "\(name): \(hosts)")
            #expect(resolv == hostResolv, "\(name): /etc/resolv.conf must be the host's: \(resolv)")
            #expect(!resolv.contains("nameserver host"), "\(name): \(resolv)")
        }
    }

    @Test("--dns-search, --dns-opt and --dns-domain write search, options and domain lines; --dns=none leaves the image's file, or none")
    func resolverOptions() throws {
        let home = try PodHome()
        let image = try home.image(files: Self.imageFiles)
        let plain = try home.image("plain.aci")
        let result = try home.run(["--dns=192.0.2.53", "--dns-search=a.example,b.example", "--dns-opt=ndots:2", "--dns-opt=timeout:1",
                                   "--dns-domain=example", plain, "--exec=/bin/cat", "--", "/etc/resolv.conf"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "nameserver 192.0.2.53\nsearch a.example b.example\noptions ndots:2 timeout:1\ndomain example\n", "\(result.stdout)")
        let kept = try home.run(["--dns=none", image, "--exec=/bin/cat", "--", "/etc/resolv.conf"])
        #expect(kept.stdout == Self.imageFiles["etc/resolv.conf"], "\(kept.stdout) \(kept.stderr)")
        let none = try home.run(["--dns=none", plain, "--exec=/bin/sh", "--", "-c", "test -e /etc/resolv.conf; echo exists=$?"])
        #expect(none.stdout == "exists=1\n", "--dns=none must not give an image without one a resolv.conf: \(none.stdout) \(none.stderr)")
        let mixed = try home.rkt(["run", "--dns=host", "--dns=192.0.2.53", plain])
        #expect(mixed.status == 254 && mixed.stderr.contains("--dns=host cannot be combined"), "\(mixed.stderr)")
    }

    @Test("run-prepared takes --dns… and --hosts-entry (prepare does not, nor --net)")
    func runPreparedResolution() throws {
        let home = try PodHome()
        let plain = try home.image("plain.aci")
        for flag in ["--dns=192.0.2.53", "--hosts-entry=192.0.2.7=db.example", "--net=host"] {
            let refused = try home.rkt(["prepare", flag, plain])
            #expect(refused.status == 254, "prepare \(flag): \(refused.stdout)")
        }
        let uuid = try home.rkt(["prepare", "--quiet", plain, "--exec=/bin/sh", "--", "-c", Self.showFiles])
            .check("prepare").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let result = try home.rkt(["run-prepared", "--dns=192.0.2.53", "--dns-search=example", "--hosts-entry=192.0.2.7=db.example", uuid])
        #expect(result.status == 0, "\(result.stderr)")
        let (hosts, resolv) = Self.files(result.stdout)
        #expect(resolv == "nameserver 192.0.2.53\nsearch example\n", "\(resolv)")
        #expect(Self.entries(hosts).contains(["192.0.2.7", "db.example"]), "\(hosts)")
    }

    @Test("an image's /etc/hosts that is a FIFO and /etc/resolv.conf that is a dangling symlink are replaced by regular files, not written through")
    func oddFilesReplaced() throws {
        let home = try PodHome()
        let image = try home.image("odd.aci", files: ["etc/resolv.conf": "->/run/systemd/resolve/stub-resolv.conf"]) { rootfs in
            #expect(mkfifo("\(rootfs)/etc/hosts", 0o644) == 0)
        }
        let result = try home.run(["--hosts-entry=192.0.2.7=db.example", "--dns=192.0.2.53", image, "--exec=/bin/sh", "--", "-c",
                                   "test -f /etc/hosts && test -f /etc/resolv.conf && test ! -L /etc/resolv.conf && echo regular; \(Self.showFiles)"],
                                  timeout: 60)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("regular\n"), "\(result.stdout)")
        let (hosts, resolv) = Self.files(String(result.stdout.dropFirst("regular\n".count)))
        #expect(Self.entries(hosts).contains(["192.0.2.7", "db.example"]), "\(hosts)")
        #expect(resolv == "nameserver 192.0.2.53\n", "\(resolv)")
    }
}
