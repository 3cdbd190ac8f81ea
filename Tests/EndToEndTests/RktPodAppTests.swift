import Foundation
import TestSupport
import Testing

/// Issue 6: what an app gets from the pod manifest and the command line — environment, user and
/// groups, working directory, event handlers.
@Suite("rkt pods: environment, user and groups", .serialized, .enabled(if: PodTestSupport.isRoot, PodTestSupport.needsRoot))
struct RktPodAppTests {
    static let environmentApp = #"""
        {"exec":["/bin/env"],"user":"0","group":"0","environment":[
         {"name":"VAR_FROM_MANIFEST","value":"manifest"},{"name":"VAR_FILE","value":"manifest"},
         {"name":"VAR_SET","value":"manifest"},{"name":"VAR_APP","value":"manifest"}]}
        """#

    static func environment(_ output: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in output.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            result[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return result
    }

    @Test("environment: image manifest < --set-env-file < --set-env < --environment; PATH, AC_APP_NAME and container are set; the host's is not passed")
    func environmentPrecedence() throws {
        let home = try PodHome()
        let image = try home.image(manifest: PodTestSupport.manifest(app: Self.environmentApp))
        let file = try home.scratch.write("env.conf", """
            # a comment
            ; another comment

            VAR_FILE=file
            VAR_SET=file
            VAR_APP=file
            FILE_ONLY=file
            """)

        let plain = try home.run([image], environment: ["HOST_ONLY": "host"])
        #expect(plain.status == 0, "\(plain.stderr)")
        let base = Self.environment(plain.stdout)
        #expect(base["VAR_FROM_MANIFEST"] == "manifest", "\(plain.stdout)")
        #expect(base["VAR_FILE"] == "manifest", "\(plain.stdout)")
        #expect(base["FILE_ONLY"] == nil, "\(plain.stdout)")
        #expect(base["HOST_ONLY"] == nil, "the host environment leaks without --inherit-env: \(plain.stdout)")
        #expect(base["PATH"] == "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "\(plain.stdout)")
        #expect(base["AC_APP_NAME"] == "busybox", "\(plain.stdout)")
        #expect(!(base["container"] ?? "").isEmpty, "container= must name the executor: \(plain.stdout)")

        let layered = try home.run(["--set-env-file=\(file)", "--set-env=VAR_SET=setenv", "--set-env=VAR_APP=setenv",
                                    image, "--environment=VAR_APP=app"])
        #expect(layered.status == 0, "\(layered.stderr)")
        let env = Self.environment(layered.stdout)
        #expect(env["VAR_FROM_MANIFEST"] == "manifest", "\(layered.stdout)")
        #expect(env["VAR_FILE"] == "file", "--set-env-file must override the image: \(layered.stdout)")
        #expect(env["FILE_ONLY"] == "file", "\(layered.stdout)")
        #expect(env["VAR_SET"] == "setenv", "--set-env must override --set-env-file: \(layered.stdout)")
        #expect(env["VAR_APP"] == "app", "--environment must override --set-env: \(layered.stdout)")
    }

    @Test("--inherit-env passes the host's variables but never overrides the image's")
    func inheritEnvironment() throws {
        let home = try PodHome()
        let image = try home.image(manifest: PodTestSupport.manifest(app: Self.environmentApp))
        let result = try home.run(["--inherit-env", image], environment: ["VAR_FROM_MANIFEST": "host", "HOST_ONLY": "host"])
        #expect(result.status == 0, "\(result.stderr)")
        let env = Self.environment(result.stdout)
        #expect(env["VAR_FROM_MANIFEST"] == "manifest", "\(result.stdout)")
        #expect(env["HOST_ONLY"] == "host", "\(result.stdout)")
        #expect(env["AC_APP_NAME"] == "busybox", "\(result.stdout)")
    }

    @Test("environment errors: a key given twice with --set-env; a malformed --set-env-file line")
    func environmentErrors() throws {
        let home = try PodHome()
        let image = try home.image()
        let twice = try home.rkt(["run", "--set-env=K=1", "--set-env=K=2", image])
        #expect(twice.status == 254)
        #expect(twice.stderr.contains("key \"K\" already set"), "\(twice.stderr)")
        let bad = try home.scratch.write("bad.conf", "GOOD=1\nthis line has no equals sign\n")
        let malformed = try home.rkt(["run", "--set-env-file=\(bad)", image])
        #expect(malformed.status == 254)
        #expect(malformed.stderr.contains("environment variable must be specified as name=value"), "\(malformed.stderr)")
        #expect(home.podDirectories()["run"] == nil, "no pod may run: \(home.podDirectories())")
    }

    static let users = [
        "etc/passwd": "root:x:0:0:root:/:/bin/sh\nuser1:x:1000:1000:user one:/:/bin/sh\n",
        "etc/group": "root:x:0:\ngroup1:x:100:\nother:x:300:\n",
    ]
    static let idScript = "id; echo uid=$(id -u) gid=$(id -g) groups=$(id -G); grep -E '^(Uid|Gid|Groups):' /proc/self/status"

    @Test("--user/--group by number and by name (the image's /etc/passwd and /etc/group); the image's own user and group")
    func userAndGroup() throws {
        let home = try PodHome()
        let image = try home.image(files: Self.users)

        let numbers = try home.run([image, "--user=200", "--group=300", "--exec=/bin/sh", "--", "-c", Self.idScript])
        #expect(numbers.status == 0, "\(numbers.stderr)")
        #expect(numbers.stdout.contains("uid=200 gid=300 groups="), "\(numbers.stdout)")
        let numberStatus = PodTestSupport.statusFields(numbers.stdout)
        #expect(numberStatus["Uid"]?.split(separator: "\t").allSatisfy { $0 == "200" } == true, "real, effective, saved and fs uid: \(numbers.stdout)")
        #expect(numberStatus["Gid"]?.split(separator: "\t").allSatisfy { $0 == "300" } == true, "\(numbers.stdout)")

        let names = try home.run([image, "--user=user1", "--group=group1", "--exec=/bin/sh", "--", "-c", Self.idScript])
        #expect(names.status == 0, "\(names.stderr)")
        #expect(names.stdout.contains("uid=1000(user1)"), "\(names.stdout)")
        #expect(names.stdout.contains("gid=100(group1)"), "\(names.stdout)")
        #expect(names.stdout.contains("uid=1000 gid=100 "), "\(names.stdout)")

        let imageUser = try home.image("user.aci", manifest: PodTestSupport.manifest(
            app: #"{"exec":["/bin/sh","-c","echo uid=$(id -u) gid=$(id -g)"],"user":"user1","group":"group1"}"#), files: Self.users)
        let fromImage = try home.run([imageUser])
        #expect(fromImage.status == 0, "\(fromImage.stderr)")
        #expect(fromImage.stdout.contains("uid=1000 gid=100"), "\(fromImage.stdout)")

        let unknown = try home.run([image, "--user=nosuchuser", "--exec=/bin/true"])
        #expect(unknown.status != 0, "an unknown user name must fail the pod")
        #expect(unknown.stderr.contains("nosuchuser"), "\(unknown.stderr)")
    }

    @Test("--supplementary-gids sets the app's supplementary groups")
    func supplementaryGroups() throws {
        let home = try PodHome()
        let image = try home.image(files: Self.users)
        let result = try home.run([image, "--user=1000", "--group=100", "--supplementary-gids=300,4000",
                                   "--exec=/bin/sh", "--", "-c", Self.idScript])
        #expect(result.status == 0, "\(result.stderr)")
        let groups = PodTestSupport.statusFields(result.stdout)["Groups"]?.split(separator: " ").map(String.init) ?? []
        #expect(Set(groups) == ["300", "4000"], "\(result.stdout)")
        let plain = try home.run([image, "--user=1000", "--group=100", "--exec=/bin/sh", "--", "-c", Self.idScript])
        let plainGroups = PodTestSupport.statusFields(plain.stdout)["Groups"] ?? "?"
        #expect(plainGroups.isEmpty, "without --supplementary-gids the app has no supplementary group: \(plain.stdout)")
    }

    @Test("--working-dir sets the app's working directory; the image's workingDirectory is the default, / without one")
    func workingDirectory() throws {
        let home = try PodHome()
        let image = try home.image(files: ["srv/data/marker": "in-srv-data\n"])
        let given = try home.run([image, "--working-dir=/srv/data", "--exec=/bin/sh", "--", "-c", "pwd; cat marker"])
        #expect(given.status == 0, "\(given.stderr)")
        #expect(given.stdout == "/srv/data\nin-srv-data\n", "\(given.stdout)")

        let plain = try home.run([image, "--exec=/bin/pwd"])
        #expect(plain.stdout == "/\n", "\(plain.stdout) \(plain.stderr)")

        let fromImage = try home.image("workdir.aci", manifest: PodTestSupport.manifest(
            app: #"{"exec":["/bin/pwd"],"user":"0","group":"0","workingDirectory":"/tmp"}"#))
        let imageDefault = try home.run([fromImage])
        #expect(imageDefault.stdout == "/tmp\n", "\(imageDefault.stdout) \(imageDefault.stderr)")
        let overridden = try home.run([fromImage, "--working-dir=/etc"])
        #expect(overridden.stdout == "/etc\n", "--working-dir must override the image's: \(overridden.stdout) \(overridden.stderr)")
    }

    /// An app that logs into /out (a host volume) around its run, with pre-start and post-stop handlers doing the same.
    static func handlersApp(appExit: Int, preStartExit: Int = 0) -> String {
        #"""
        {"exec":["/bin/sh","-c","echo app >> /out/log; exit \#(appExit)"],"user":"0","group":"0",
         "eventHandlers":[
          {"name":"pre-start","exec":["/bin/sh","-c","echo pre-start >> /out/log; exit \#(preStartExit)"]},
          {"name":"post-stop","exec":["/bin/sh","-c","echo post-stop >> /out/log"]}]}
        """#
    }

    @Test("event handlers: pre-start runs before the app and post-stop after it, also when the app fails")
    func eventHandlers() throws {
        let home = try PodHome()
        for (appExit, expected) in [(0, Int32(0)), (3, Int32(3))] {
            let image = try home.image("handlers-\(appExit).aci", manifest: PodTestSupport.manifest(app: Self.handlersApp(appExit: appExit)))
            let out = home.path("out-\(appExit)")
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let result = try home.run(["--volume=out,kind=host,source=\(out)", image, "--mount=volume=out,target=/out"])
            #expect(result.status == expected, "\(result.stdout) \(result.stderr)")
            #expect((try? String(contentsOfFile: "\(out)/log", encoding: .utf8)) == "pre-start\napp\npost-stop\n",
                    "app exiting \(appExit): \(result.stderr)")
        }
    }

    @Test("event handlers: a failing pre-start handler keeps the app from running and fails the pod")
    func failingPreStart() throws {
        let home = try PodHome()
        let image = try home.image(manifest: PodTestSupport.manifest(app: Self.handlersApp(appExit: 0, preStartExit: 7)))
        let out = home.path("out")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let result = try home.run(["--volume=out,kind=host,source=\(out)", image, "--mount=volume=out,target=/out"])
        #expect(result.status != 0, "\(result.stdout) \(result.stderr)")
        let log = (try? String(contentsOfFile: "\(out)/log", encoding: .utf8)) ?? ""
        #expect(log.hasPrefix("pre-start\n"), "\(log)")
        #expect(!log.contains("app"), "the app must not run after its pre-start handler failed: \(log)")
    }
}
