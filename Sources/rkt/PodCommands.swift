import CLISupport
import Glibc

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List pods.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Full UUIDs and image IDs, absolute times.") var full = false
    @Flag(help: "Omit the header.") var noLegend = false
    @Option(help: "json or json-pretty instead of a table.") var format: String?

    func run() throws {
        let context = try RktContext(global, requireRoot: false)
        let pods = try context.registry.pods().filter { $0.state != .embryo }.sorted { ($0.created ?? 0) < ($1.created ?? 0) }
        if let format {
            guard format == "json" || format == "json-pretty" else { throw ValidationError("--format must be json or json-pretty") }
            let items = pods.map(PodListing.json)
            Console.out(bytes: (format == "json" ? JSONWriter.compact(.array(items)) : JSONWriter.indented(.array(items), indent: "\t")) + [0x0A])
            return
        }
        Console.out(PodListing.table(pods, full: full, legend: !noLegend), terminator: "")
    }
}

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show a pod's state and its apps' exit statuses.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Wait until the pod has exited, up to this duration (or a bare --wait=true: indefinitely).") var wait: String?
    @Option(help: "Read the UUID from this file.") var uuidFile: String?
    @Option(help: "json or json-pretty.") var format: String?
    @Argument(help: "The pod's UUID.") var uuid: String?

    func run() throws {
        let context = try RktContext(global, requireRoot: false)
        let text = try PodCommands.uuid(uuid, file: uuidFile)
        var pod = try context.registry.resolve(text)
        if let wait, wait != "false" {
            let limit = wait == "true" ? Int64.max / 2 : try GoDuration.seconds(wait) * 1_000_000_000
            let start = WallClock.nanoseconds()
            while pod.state == .running || pod.state == .preparing, WallClock.nanoseconds() - start < limit {
                usleep(100_000)
                pod = try context.registry.resolve(pod.uuid.description)
            }
        }
        if let format {
            let item = PodListing.json(pod)
            Console.out(bytes: (format == "json" ? JSONWriter.compact(item) : JSONWriter.indented(item, indent: "\t")) + [0x0A])
            return
        }
        Console.out("state=\(pod.state.rawValue)")
        if let created = pod.created { Console.out("created=\(Timestamp.go(created))") }
        if let started = pod.started { Console.out("started=\(Timestamp.go(started))") }
        if pod.state == .running || pod.state.isExited { Console.out("networks=\(pod.networksSummary)") }
        if let pid = pod.pid { Console.out("pid=\(pid)") }
        Console.out("exited=\(pod.state.isExited)")
        if pod.state != .running {
            for app in (try? pod.manifest().apps) ?? [] {
                if let code = pod.exitStatus(app.name.value) { Console.out("app-\(app.name)=\(code)") }
            }
        }
    }
}

struct Stop: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop running pods (SIGTERM to their apps; --force kills them).")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Kill the pods instead of asking them to stop.") var force = false
    @Option(help: "Read the UUID from this file.") var uuidFile: String?
    @Argument(help: "Pods' UUIDs.") var uuids: [String] = []

    func run() throws {
        let context = try RktContext(global, requireRoot: false)
        let operations = PodOperations(registry: context.registry)
        var failed = 0
        let names = uuidFile.map { [try? PodCommands.uuid(nil, file: $0)].compactMap { $0 } } ?? uuids
        for text in names {
            do {
                let pod = try context.registry.resolve(text)
                do {
                    try operations.stop(pod, force: force)
                } catch let error as PodError where pod.state.isExited {
                    Console.error("stop: \(error)")
                    continue
                }
                Console.out(quoted(pod.uuid.description))
            } catch {
                Console.error("stop: \(error)")
                failed += 1
            }
        }
        if failed > 0 {
            Console.error("stop: failed to stop \(failed) pod(s)")
            throw CommandFailure.reported
        }
    }
}

struct Remove: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove exited or prepared pods.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Read the UUID from this file.") var uuidFile: String?
    @Argument(help: "Pods' UUIDs.") var uuids: [String] = []

    func run() throws {
        let context = try RktContext(global, requireRoot: true)
        let operations = PodOperations(registry: context.registry)
        var failed = false
        let names = try uuidFile.map { [try PodCommands.uuid(nil, file: $0)] } ?? uuids
        if names.isEmpty { throw ValidationError("UUID cannot be empty") }
        for text in names {
            do {
                let pod = try context.registry.resolve(text)
                try operations.remove(pod)
                Console.out(quoted(pod.uuid.description))
            } catch {
                Console.error("rm: \(error)")
                failed = true
            }
        }
        if failed {
            Console.error("rm: failed to remove one or more pods")
            throw CommandFailure.reported
        }
    }
}

struct GarbageCollect: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "gc", abstract: "Mark exited pods as garbage and remove old garbage.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Keep exited pods this long before removing them.") var gracePeriod = "30m"
    @Option(help: "Remove prepared pods not run within this duration.") var expirePrepared = "24h"
    @Flag(help: "Only mark pods as garbage.") var markOnly = false

    func run() throws {
        let context = try RktContext(global, requireRoot: true)
        let grace = try GoDuration.seconds(gracePeriod)
        let collection = try PodOperations(registry: context.registry).collectGarbage(
            gracePeriod: grace, expirePrepared: try GoDuration.seconds(expirePrepared), markOnly: markOnly)
        for uuid in collection.marked { Console.out("moving pod \(quoted(uuid.description)) to garbage") }
        for uuid in collection.removed { Console.out("Garbage collecting pod \(quoted(uuid.description))") }
        for uuid in collection.kept { Console.out("pod \(quoted(uuid.description)) not removed: still within grace period (\(GoDuration.description(seconds: grace)))") }
    }
}

struct Enter: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enter",
        abstract: "Run a command in a running pod's app, confined exactly as the app.",
        discussion: "The command joins the app's namespaces, cgroups, capability set, no_new_privs and seccomp filter."
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: "The app (needed when the pod has several).") var app: String?
    @Argument(help: "The pod's UUID.") var uuid: String
    @Argument(parsing: .captureForPassthrough, help: "The command and its arguments (default /bin/bash, or /bin/sh when the image has no bash).") var command: [String] = []

    func run() throws {
        let context = try RktContext(global, requireRoot: true)
        let pod = try context.registry.resolve(uuid)
        guard pod.state == .running, let pid = pod.pid else { throw CommandFailure.message("pod \(quoted(pod.uuid.description)) isn't currently running") }
        let apps = try pod.manifest().apps ?? []
        let name: String
        if let app {
            guard apps.contains(where: { $0.name.value == app }) else { throw CommandFailure.message("pod has no app \(quoted(app))") }
            name = app
        } else {
            guard apps.count == 1 else {
                throw CommandFailure.message("pod has several apps (\(apps.map(\.name.value).joined(separator: ", "))): specify app using \"rkt enter --app= ...\"")
            }
            name = apps[0].name.value
        }
        var arguments = command.first == "--" ? Array(command.dropFirst()) : command
        if arguments.isEmpty {
            // rkt assumed /bin/bash, which images built on busybox or alpine lack: they get /bin/sh
            // (the image is looked at, not what the app changed in its root).
            let shell = RootDirectory.contains("/bin/bash", in: "\(pod.layout.appTree(name))/rootfs") ? "/bin/bash" : "/bin/sh"
            Console.error("enter: no command specified, assuming \"\(shell)\"")
            arguments = [shell]
        }
        let code = try PodOperations(registry: context.registry).runEntrypoint(
            Stage1Selection.enterAnnotation, of: pod, arguments: ["--pid=\(pid)", "--appname=\(name)", "--"] + arguments)
        throw ExitCode(code)
    }
}

struct CatManifest: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cat-manifest", abstract: "Print a pod's manifest.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Indent (true, the default) or print as written (false).") var prettyPrint = "true"
    @Option(help: "Read the UUID from this file.") var uuidFile: String?
    @Argument(help: "The pod's UUID.") var uuid: String?

    func run() throws {
        let context = try RktContext(global, requireRoot: false)
        let pod = try context.registry.resolve(try PodCommands.uuid(uuid, file: uuidFile))
        if try KeyValueString.bool(prettyPrint) {
            Console.out(bytes: JSONWriter.indented(try pod.manifest().json, indent: "\t") + [0x0A])
        } else {
            Console.out(bytes: try pod.manifestBytes() + [0x0A])
        }
    }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export an exited pod's app as an ACI.",
        discussion: "Writes the app's image manifest and its root filesystem as the app left it, gzip-compressed. --app chooses the app of a multi-app pod."
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: "The app to export (needed when the pod has several).") var app: String?
    @Flag(help: "Overwrite the output ACI if it exists.") var overwrite = false
    @Argument(help: "The pod's UUID.") var uuid: String
    @Argument(help: "The ACI to write.") var output: String

    func run() throws {
        if geteuid() != 0 { throw CommandFailure.message("cannot run as unprivileged user") }
        guard output.hasSuffix(".aci") else { throw CommandFailure.message("extension must be .aci (given \(output))") }
        // Only the pod registry: the export mounts in a namespace of its own, which needs a process
        // that has not started other threads yet.
        let registry = try PodRegistry(dataDirectory: global.dataDirectory(try global.config()))
        do {
            try PodExporter().export(try registry.resolve(uuid), app: app, to: output, overwrite: overwrite)
        } catch is AtomicOutput.ExistsError {
            throw CommandFailure.message("\(quoted(output)) exists (try --overwrite)")
        }
    }
}

enum PodCommands {
    /// The UUID from the argument or the file (`--uuid-file`).
    static func uuid(_ argument: String?, file: String?) throws -> String {
        if let file { return String(decoding: try FileIO.readFile(file, limit: 4096), as: UTF8.self).trimmingSpaces() }
        guard let argument else { throw ValidationError("give a pod UUID (or --uuid-file)") }
        return argument
    }
}
